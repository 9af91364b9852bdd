#!/usr/bin/env bash
# Counts that do not depend on how busy the machine is (issue 21; bench/NOTES.md, round 3), for
# comparing two builds on a shared machine where wall-clock times are noise:
# - start-up: instructions (valgrind callgrind) and page faults (perf stat) of the hello-world
#   floor (bench/hello), `cbkit --version` and `cbkit sign wemeet ...`;
# - listener: system calls per request (strace -f -c) of `cbkit listen --vendor dingtalk
#   --record`, fed by `cbkit replay --count N --concurrency 16`, as the difference between a run
#   of N2 and one of N1 deliveries (start and stop cancel out).
#
# Usage: bench/counts.sh [CBKIT_BINARY]   (default: target/release/cbkit, built if missing)
# Needs valgrind, perf and strace. Knobs: N1 (300), N2 (1300).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${1:-$CARGO_TARGET_DIR/release/cbkit}
[[ -x $BIN ]] || cargo build --release --quiet --bin cbkit
cargo build --release --quiet --manifest-path bench/hello/Cargo.toml
HELLO=$CARGO_TARGET_DIR/release/cbkit-bench-hello
N1=${N1:-300} N2=${N2:-1300}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

WM_TOKEN=bVPU6F8Htxl5XkAbp3jGV2xWp DATA=eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9
instructions() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p'; }
faults() { perf stat -r 50 -x, -e page-faults "$@" 2>&1 >/dev/null | cut -d, -f1; }
echo "start-up          instructions  page faults"
for run in "$HELLO" "$BIN --version" \
  "$BIN sign wemeet --token $WM_TOKEN --timestamp 1609239040864 --nonce 14964161 --data $DATA"; do
  # shellcheck disable=SC2086
  printf '%-17s %12s  %11s\n' "$(basename "${run%% --token*}")" "$(instructions $run)" "$(faults $run)"
done

export CBKIT_TOKEN=mryue CBKIT_AES_KEY=Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7 \
  CBKIT_RECEIVER_ID=ding6ccabc44d2c8d38b
syscalls() { # syscalls N: strace -c table of a listener that answered N deliveries
  local n=$1 rec=$WORK/record-$1.jsonl out=$WORK/listen-$1
  strace -f -c -o "$out.strace" "$BIN" listen --vendor dingtalk --port 0 --record "$rec" -q \
    >"$out.stdout" 2>"$out.stderr" &
  local tracer=$! url=""
  for _ in $(seq 200); do
    url=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$out.stdout" | head -1)
    [[ -n $url ]] && break
    sleep 0.1
  done
  "$BIN" replay dingtalk/user_add_org --url "$url/" --count "$n" --concurrency 16 --json \
    >"$out.replay.json" 2>/dev/null || true
  # The listener is the tracer's child; TERM flushes its record and ends it.
  kill -TERM "$(pgrep -P "$tracer")"
  wait "$tracer" || true
  echo "listener, $n deliveries: $(wc -l <"$rec") record lines, $(grep -c '"status":200' "$rec") answered 200" >&2
  awk 'NR > 2 && $1 !~ /^-/ && $NF != "total" { print $NF, $4 }' "$out.strace" | sort
}
echo
echo "listener system calls per request ($N2 - $N1 deliveries)"
join -a 2 -e 0 -o 0,1.2,2.2 <(syscalls "$N1") <(syscalls "$N2") |
  awk -v d=$((N2 - N1)) '{ per = ($3 - $2) / d; if (per >= 0.05) { printf "  %-12s %5.2f\n", $1, per; t += per } }
    END { printf "  %-12s %5.2f\n", "total", t }'
