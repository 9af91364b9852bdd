#!/usr/bin/env bash
# Interop suite (issue #16): cbkit against the third-party libraries users' receivers and senders
# are built on — npm @wecom/crypto, wechat-crypto, dingtalk-encrypt, @larksuiteoapi/node-sdk
# (with express) and PyPI wechatpy, dingtalk-sdk, lark-oapi (with flask). Four directions:
#   (a) cbkit encrypts → library decrypts        node/crypto.mjs, py/crypto.py
#   (b) library encrypts → cbkit decodes         node/crypto.mjs, py/crypto.py
#   (c) cbkit replay → receiver on the library   node/receivers.mjs, py/receivers.py
#   (d) sender on the library → cbkit listen     node/senders.mjs, py/senders.py
# over the plaintexts in plaintexts.json, then report.mjs writes interop/RESULTS.md.
# Run on demand (not by cargo test). Loopback only, free ports, every server stops by itself.
#
# Knobs (environment): CBKIT=path/to/cbkit (default: `cargo build` and target/debug/cbkit),
# CARGO_TARGET_DIR (default ./target).
# Needs node >= 18 with npm, and python3 >= 3.8 with venv; installs into interop/node_modules and
# interop/venv (both gitignored) from package-lock.json and requirements.txt.
set -euo pipefail
CALLER=$PWD
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd .. && pwd)
log() { printf '\n== %s\n' "$*" >&2; }

# One run at a time: two would append to the same out/results.jsonl.
exec 9>"$HERE/.run.lock"
flock -n 9 || { echo "interop/run.sh: another run is in progress" >&2; exit 2; }

for t in node npm python3; do
  command -v "$t" >/dev/null || { echo "interop/run.sh: needs $t" >&2; exit 2; }
done

# ---- cbkit -----------------------------------------------------------------------------------
if [[ -z "${CBKIT:-}" ]]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
  log "cargo build (set CBKIT=path to use a built binary)"
  (cd "$ROOT" && cargo build --quiet --bin cbkit)
  CBKIT=$CARGO_TARGET_DIR/debug/cbkit
fi
[[ $CBKIT = /* ]] || CBKIT=$CALLER/$CBKIT  # a path given relative to where run.sh was started
[[ -x $CBKIT ]] || { echo "interop/run.sh: no cbkit binary at $CBKIT" >&2; exit 2; }
export CBKIT

# ---- libraries (pinned) ----------------------------------------------------------------------
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [[ ! -x venv/bin/python || requirements.txt -nt venv/.installed ]]; then
  log "python venv + pip install -r requirements.txt"
  python3 -m venv venv
  venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  touch venv/.installed
fi

# ---- run -------------------------------------------------------------------------------------
export INTEROP_OUT=$HERE/out
rm -rf "$INTEROP_OUT"
mkdir -p "$INTEROP_OUT"
{
  echo "cbkit: $("$CBKIT" --version)"
  echo "node $(node --version); $(venv/bin/python --version)"
  for p in @wecom/crypto wechat-crypto dingtalk-encrypt @larksuiteoapi/node-sdk express; do
    echo "npm $p $(node -p "require('./node_modules/$p/package.json').version")"
  done
  venv/bin/python -m pip freeze --disable-pip-version-check \
    | grep -iE '^(wechatpy|dingtalk-sdk|lark-oapi|flask|cryptography|pycryptodome)==' | sed 's/^/pypi /'
} >"$INTEROP_OUT/versions.txt"

failed=()
run() {  # a driver that crashes (or hangs past 10 minutes) is reported, and the others still run
  local name=$1; shift
  log "$name"
  timeout 600 "$@" || failed+=("$name")
}
run "node: (a)(b) crypto" node node/crypto.mjs
run "python: (a)(b) crypto" bash -c 'cd py && exec ../venv/bin/python crypto.py'
run "node: (c) receivers" node node/receivers.mjs
run "python: (c) receivers" bash -c 'cd py && exec ../venv/bin/python receivers.py'
run "node: (d) senders" node node/senders.mjs
run "python: (d) senders" bash -c 'cd py && exec ../venv/bin/python senders.py'

log "report"
status=0
node report.mjs || status=$?
if ((${#failed[@]})); then
  echo "interop/run.sh: drivers failed: ${failed[*]}" >&2
  exit 1
fi
exit "$status"
