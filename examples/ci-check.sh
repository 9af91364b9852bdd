#!/usr/bin/env bash
# Callback checks for CI: start cbkit's known-good receiver on a free port, wait for its
# ready line, replay every fixture of a vendor at it, and fail the job on any rejected
# delivery. Point --url at your own app (or use `listen --forward-to`) to check your app.
#
#   CBKIT_TOKEN=... CBKIT_AES_KEY=... CBKIT_RECEIVER_ID=... examples/ci-check.sh dingtalk
set -euo pipefail
vendor=${1:-wemeet}
cbkit=${CBKIT_BIN:-cbkit}
out=$(mktemp)
"$cbkit" listen --vendor "$vendor" --port 0 --idle-timeout 60s --record callbacks.jsonl >"$out" 2>&1 &
listener=$!
trap 'kill $listener 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
  url=$(sed -n 's/^listening on //p' "$out" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { echo "listener did not start:"; cat "$out"; exit 2; }
"$cbkit" replay "$vendor" --url "$url/$vendor" --report junit.xml --time-scale 0.01
