#!/usr/bin/env bash
# Benchmarks for issue #9: crypto/signing (criterion + openssl speed + Python peers), command
# start-up (hyperfine, against a Rust hello-world built with the same profile), listener
# throughput (wrk), replay throughput, retry timing accuracy; and for issue #18: batch decode
# of a capture file against a Python peer in one process.
# Installs what it needs (apt-get, pip; idempotent), runs everything in one go and writes
# bench/RESULTS.md from the raw outputs kept in bench/out/. Loopback only.
#
# Knobs (environment): CARGO_TARGET_DIR (default ./target), WRK_SECONDS (5), CRIT_MEASURE (2),
# REPLAY_COUNT (20000), RETRY_RUNS (20), WRK_REQUESTS (240000 distinct requests per vendor),
# STARTUP_ROUNDS (1000 interleaved rounds of the start-up commands and floors), P99_ROUNDS (5 rounds of the listener against the bare server), INSPECT_ROUNDS (5 rounds of
# --inspect off and on), SKIP_CRITERION=1 (reuse the last criterion figures), BATCH_LINES (100000 capture lines for
# part 6), BATCH_RUNS (3 timed runs each, median kept), BATCH_ONLY=1 (part 6 alone; its report goes
# to bench/out/RESULTS-batch.md and bench/RESULTS.md is left as it is).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
WRK_SECONDS=${WRK_SECONDS:-5}
CRIT_MEASURE=${CRIT_MEASURE:-2}
REPLAY_COUNT=${REPLAY_COUNT:-20000}
RETRY_RUNS=${RETRY_RUNS:-20}
BATCH_LINES=${BATCH_LINES:-100000}
BATCH_RUNS=${BATCH_RUNS:-3}
BATCH_ONLY=${BATCH_ONLY:-0}
log() { printf '\n== %s\n' "$*" >&2; }

# ---- install --------------------------------------------------------------------------------
need_apt=()
apt_tools=(hyperfine wrk openssl)
[[ $BATCH_ONLY == 1 ]] && apt_tools=()
for t in "${apt_tools[@]}"; do command -v "$t" >/dev/null || need_apt+=("$t"); done
if ((${#need_apt[@]})); then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if ! python3 -c 'import wechatpy, dingtalk.crypto, cryptography, Crypto' 2>/dev/null; then
  log "pip install Python peers"
  # Each on its own so one unavailable package does not stop the others (RESULTS.md says which).
  for p in cryptography pycryptodome wechatpy dingtalk-sdk; do
    python3 -m pip install -q "$p" 2>&1 | grep -v 'WARNING: Running pip as' || true
  done
fi

# ---- build ----------------------------------------------------------------------------------
log "cargo build --release"
cargo build --release --quiet --bin cbkit --example benchkit
BIN=$CARGO_TARGET_DIR/release/cbkit
KIT=$CARGO_TARGET_DIR/release/examples/benchkit
# The start-up floors: a Rust hello-world (bench/hello/) and a one-subcommand clap CLI
# (bench/hello-clap/), built with cbkit's release profile; the clap one with cbkit's clap too.
python3 - <<'PY'
import tomllib
def toml(f):
    return tomllib.load(open(f, "rb"))
ours = toml("Cargo.toml")
ours_locked = {(p["name"], p["version"]) for p in toml("Cargo.lock")["package"]}
for floor in ("bench/hello", "bench/hello-clap"):
    theirs = toml(f"{floor}/Cargo.toml")
    if theirs["profile"]["release"] != ours["profile"]["release"]:
        raise SystemExit(f"{floor}/Cargo.toml [profile.release] differs from Cargo.toml's")
    for dep, spec in theirs.get("dependencies", {}).items():
        if spec != ours["dependencies"][dep]:
            raise SystemExit(f"{floor}/Cargo.toml's {dep} {spec} differs from Cargo.toml's")
    for p in toml(f"{floor}/Cargo.lock")["package"]:
        if "source" in p and (p["name"], p["version"]) not in ours_locked:
            raise SystemExit(f"{floor}/Cargo.lock has {p['name']} {p['version']}, which Cargo.lock does not")
PY
cargo build --release --quiet --manifest-path bench/hello/Cargo.toml
cargo build --release --quiet --locked --manifest-path bench/hello-clap/Cargo.toml
HELLO=$CARGO_TARGET_DIR/release/cbkit-bench-hello
HELLO_CLAP=$CARGO_TARGET_DIR/release/cbkit-bench-hello-clap

# Demo secrets (src/demo_secrets.rs): the vendors' published example values.
DT_TOKEN=mryue DT_AES=Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7 DT_RID=ding6ccabc44d2c8d38b
WM_TOKEN=bVPU6F8Htxl5XkAbp3jGV2xWp

# ---- 6. batch decode (defined here, run last; alone with BATCH_ONLY=1) ------------------------
# BATCH_LINES distinct DingTalk capture lines with 1 KiB plaintexts, decoded by
# `cbkit decode --from-capture FILE --all` (one process) and by each Python peer in one Python
# process (bench/peers.py batch: json per line, library verify + decrypt, one JSON line out).
# Timed by bash's EPOCHREALTIME (wall) and /usr/bin/time (max RSS), BATCH_RUNS runs each with output to
# /dev/null, the median kept; one more run each writes its output, checked line by line against
# the plaintexts the capture lines hold.
batch_row() { # batch_row TOOL RUN START END CODE: wall seconds from bash's clock (µs), RSS from time
  echo -e "$1\t$2\t$(awk -v a="$3" -v b="$4" 'BEGIN{printf "%.4f", b - a}')\t$(cat "$OUT/batch-time.txt")\t$5" \
    >>"$OUT/batch-times.tsv"
}
batch_part() {
  log "batch decode: $BATCH_LINES DingTalk capture lines, 1 KiB plaintexts"
  local cap=$OUT/batch-capture.jsonl
  "$KIT" capture dingtalk "$BATCH_LINES" 1024 >"$cap"
  sync
  : >"$OUT/batch-times.tsv"  # tool<TAB>run<TAB>wall seconds<TAB>max RSS KiB<TAB>exit code
  local run code
  for run in $(seq "$BATCH_RUNS"); do
    code=0 t0=$EPOCHREALTIME
    env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
      /usr/bin/time -f '%M' -o "$OUT/batch-time.txt" \
      "$BIN" decode --from-capture "$cap" --all -q >/dev/null || code=$?
    batch_row cbkit "$run" "$t0" "$EPOCHREALTIME" "$code"
  done
  env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
    "$BIN" decode --from-capture "$cap" --all -q >"$OUT/batch-out-cbkit.jsonl" || true
  local outs=("$OUT/batch-out-cbkit.jsonl") peer
  : >"$OUT/batch-peers.jsonl"
  for peer in dingtalk-sdk wechatpy minimal-cryptography; do
    if ! python3 bench/peers.py batch "$peer" "$cap" "$OUT/batch-out-$peer.jsonl" \
      "$DT_TOKEN" "$DT_AES" "$DT_RID" >>"$OUT/batch-peers.jsonl" 2>"$OUT/batch-$peer.stderr"; then
      echo "{\"peer\": \"$peer\", \"unavailable\": $(tail -1 "$OUT/batch-$peer.stderr" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().strip()))')}" >>"$OUT/batch-peers.jsonl"
      continue
    fi
    outs+=("$OUT/batch-out-$peer.jsonl")
    for run in $(seq "$BATCH_RUNS"); do
      code=0 t0=$EPOCHREALTIME
      /usr/bin/time -f '%M' -o "$OUT/batch-time.txt" \
        python3 bench/peers.py batch "$peer" "$cap" /dev/null "$DT_TOKEN" "$DT_AES" "$DT_RID" \
        >>"$OUT/batch-peers.jsonl" || code=$?
      batch_row "$peer" "$run" "$t0" "$EPOCHREALTIME" "$code"
    done
  done
  python3 bench/peers.py batch-check "$cap" "${outs[@]}" >"$OUT/batch-check.json"
  echo "$BATCH_LINES" >"$OUT/batch-lines.txt"
  rm -f "$cap" "$OUT"/batch-out-*.jsonl  # hundreds of MB
}

if [[ $BATCH_ONLY == 1 ]]; then
  batch_part
  python3 bench/report.py "$OUT" --only batch >"$OUT/RESULTS-batch.md"
  echo "bench/out/RESULTS-batch.md written (BATCH_ONLY=1: bench/RESULTS.md unchanged)" >&2
  exit 0
fi

# ---- wrk request files (part 3), made first ---------------------------------------------------
# Distinct signed requests, more than a run sends (a repeat would be flagged by the listener's
# replay detection and measure that instead); each wrk thread sends its own file's share.
# Made (and old ones deleted) here, minutes before part 3: right after writing or deleting
# hundreds of MB, this machine's ext4 (mounted with `discard`) stalls the listener's record
# writes for tens of ms (p99 43.6 ms vs 6.5 ms with the record on tmpfs, same run order).
WRK_REQUESTS=${WRK_REQUESTS:-240000}
rm -f "$OUT"/*.reqs.* "$OUT"/record-*.jsonl
"$KIT" wrk-data dingtalk "$WRK_REQUESTS" 1024 "$OUT/dingtalk.reqs" 2 >"$OUT/dingtalk.lua"
"$KIT" wrk-data wemeet "$WRK_REQUESTS" 1024 "$OUT/wemeet.reqs" 2 >"$OUT/wemeet.lua"
sync

# ---- machine ---------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "cores: $(nproc)"
  echo "memory: $(free -h | awk '/^Mem:/{print $2}')"
  echo "kernel: $(uname -r)"
  echo "rustc: $(rustc --version)"
  echo "openssl: $(openssl version)"
  echo "python: $(python3 --version 2>&1)"
  echo "hyperfine: $(hyperfine --version)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "binary: $(stat -c %s "$BIN") bytes ($BIN, release profile: lto, codegen-units=1, strip)"
  echo "hello-world: $(stat -c %s "$HELLO") bytes ($HELLO, the same release profile)"
  echo "clap hello: $(stat -c %s "$HELLO_CLAP") bytes ($HELLO_CLAP, the same release profile and clap)"
  echo "git: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (dirty)')"
} >"$OUT/machine.txt"

# ---- 1. crypto and signing ------------------------------------------------------------------
if [[ ${SKIP_CRITERION:-0} != 1 ]]; then
  log "criterion (benches/crypto.rs)"
  cargo bench --quiet --bench crypto -- --warm-up-time 1 --measurement-time "$CRIT_MEASURE" \
    >"$OUT/criterion.txt" 2>&1
fi
python3 - "$CARGO_TARGET_DIR/criterion" >"$OUT/criterion.json" <<'PY'
import json, os, sys
root = sys.argv[1]; res = {}
for dirpath, _, files in os.walk(root):
    if dirpath.endswith("/new") and "estimates.json" in files:
        bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
        est = json.load(open(os.path.join(dirpath, "estimates.json")))
        res[bench["full_id"]] = {"median_ns": est["median"]["point_estimate"], "mean_ns": est["mean"]["point_estimate"]}
json.dump(res, sys.stdout, indent=1, sort_keys=True)
PY

log "openssl speed"
: >"$OUT/openssl.txt"
for size in 64 1024 65536 1048576; do
  for what in "-evp aes-256-cbc" "-evp aes-256-cbc -decrypt" "sha1" "sha256"; do
    # shellcheck disable=SC2086
    line=$(openssl speed -mr -seconds 1 -bytes "$size" $what 2>/dev/null | grep '^+F')
    echo "$size|$what|$line" >>"$OUT/openssl.txt"
  done
done

log "Python peers"
"$KIT" vectors >"$OUT/vectors.json"
"$KIT" lengths >"$OUT/lengths.json"
python3 bench/peers.py "$OUT/vectors.json" >"$OUT/peers.json"

# ---- 2. command start-up --------------------------------------------------------------------
log "hyperfine"
DATA=eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9
printf '%s%s%s%s' 1609239040864 14964161 $WM_TOKEN $DATA >"$OUT/sign-input.txt"  # sorted order
python3 -c "import json;v=[x for x in json.load(open('$OUT/vectors.json')) if x['vendor']=='dingtalk' and x['size']==1024][0];open('$OUT/dingtalk-body.json','w').write(v['body']);open('$OUT/dingtalk-vec.json','w').write(json.dumps(v))"
PY=$(python3 -c "import sys; print(sys.executable)")  # the interpreter itself, not a pyenv shim
PY_SIGN="import hashlib;print(hashlib.sha1(''.join(sorted(['$WM_TOKEN','1609239040864','14964161','$DATA'])).encode()).hexdigest())"
PY_DECODE="import base64,json,struct;from cryptography.hazmat.primitives.ciphers import Cipher,algorithms,modes;k=base64.b64decode('$DT_AES='.encode());d=Cipher(algorithms.AES(k),modes.CBC(k[:16])).decryptor();p=d.update(base64.b64decode(json.load(open('$OUT/dingtalk-body.json'))['encrypt']))+d.finalize();p=p[:-p[-1]];n=struct.unpack('>I',p[16:20])[0];print(p[20:20+n].decode())"
hyperfine -N --warmup 20 --runs 200 --export-json "$OUT/hyperfine.json" \
  -n "rust hello-world" "$HELLO" \
  -n "cbkit --version" "$BIN --version" \
  -n "cbkit sign wemeet" "$BIN sign wemeet --token $WM_TOKEN --timestamp 1609239040864 --nonce 14964161 --data $DATA" \
  -n "openssl dgst -sha1" "openssl dgst -sha1 $OUT/sign-input.txt" \
  -n "python3 sign one-liner" "$PY -c \"$PY_SIGN\"" \
  -n "cbkit decode dingtalk" "$BIN decode dingtalk --aes-key $DT_AES --receiver-id $DT_RID --body $OUT/dingtalk-body.json" \
  -n "python3 decode one-liner" "$PY -c \"$PY_DECODE\"" \
  >"$OUT/hyperfine.txt" 2>&1
# The same starts, and the clap floor's, interleaved (benchkit interleave): each round runs them
# in turn, so the machine's drift over seconds cancels in each round's ratio to the hello-world.
# Each binary is a fresh copy, as `cargo install` leaves one: the page cache a linker's output
# sits in measured a few per cent slower than a copy of the same file (bench/NOTES.md, round 8).
STARTUP_ROUNDS=${STARTUP_ROUNDS:-1000}
mkdir -p "$OUT/installed"
cp "$HELLO" "$OUT/installed/hello"
cp "$HELLO_CLAP" "$OUT/installed/hello-clap"
cp "$BIN" "$OUT/installed/cbkit"
"$KIT" interleave "$STARTUP_ROUNDS" \
  -- "rust hello-world" "$OUT/installed/hello" \
  -- "clap hello (one subcommand)" "$OUT/installed/hello-clap" sign wemeet --token "$WM_TOKEN" --timestamp 1609239040864 --nonce 14964161 --data "$DATA" \
  -- "cbkit --version" "$OUT/installed/cbkit" --version \
  -- "cbkit sign wemeet" "$OUT/installed/cbkit" sign wemeet --token "$WM_TOKEN" --timestamp 1609239040864 --nonce 14964161 --data "$DATA" \
  >"$OUT/startup-interleaved.jsonl"
# Page faults per start (GNU time's minor faults, the median of 21 runs): unlike the times,
# they do not move with the machine's load, so a change to the binary's layout shows in them.
: >"$OUT/startup-faults.tsv"
faults() { # faults NAME CMD...
  local runs=()
  for _ in $(seq 21); do
    /usr/bin/time -f '%R' -o "$OUT/faults.txt" "${@:2}" >/dev/null 2>&1
    runs+=("$(tail -1 "$OUT/faults.txt")")
  done
  echo -e "$1\t$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 11p)" >>"$OUT/startup-faults.tsv"
}
faults "rust hello-world" "$HELLO"
faults "cbkit --version" "$BIN" --version
faults "cbkit sign wemeet" "$BIN" sign wemeet --token "$WM_TOKEN" --timestamp 1609239040864 --nonce 14964161 --data "$DATA"

# ---- helpers for servers --------------------------------------------------------------------
SERVER_PID=""
start_server() { # start_server NAME CMD...; sets URL and SERVER_PID
  local name=$1; shift
  "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr" &
  SERVER_PID=$!
  for _ in $(seq 100); do
    URL=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$OUT/$name.stdout" | head -1)
    [[ -n $URL ]] && return 0
    sleep 0.05
  done
  echo "server $name did not start" >&2; cat "$OUT/$name.stderr" >&2; return 1
}
stop_server() {
  # TERM, not INT: background jobs of a non-interactive shell ignore SIGINT.
  # cbkit listen handles TERM like Ctrl-C (flushes the record, prints its summary).
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  # Each listener run leaves up to ~1 GB of record in the page cache. Written back now, between
  # runs: left dirty, a few runs' worth crosses the kernel's background threshold (10 % of
  # memory) and is written back during a later run, whose record writes then stall for tens of
  # ms (a listener's p99 of 15-36 ms against 2-5 ms, seen when part 3c first ran).
  sync
}
trap 'stop_server' EXIT
# A listener run's record (~0.6 GB), once counted, is deleted before the next run: kept, each
# one left its pages cached and every later listener run slowed (by hand, 16 connections,
# four runs in a row: 47.8k, 43.7k, 43.0k, 40.1k req/s with 0.6-2.9 GB of earlier records
# cached; 43.4k, 43.8k, 44.6k, 45.3k with each deleted), a handicap the bare server never had.
# The deletion is synced here, between runs, not left to run during the next measurement.
forget_record() {
  rm -f "$1"
  sync
}

# ---- 3. listener throughput -----------------------------------------------------------------
log "wrk"
: >"$OUT/wrk.tsv"
run_wrk() { # run_wrk LABEL SCRIPT CONNS [record-file]
  local label=$1 script=$2 c=$3 rec=${4:-} t=2
  ((c < 2)) && t=1
  wrk -t"$t" -c"$c" -d"${WRK_SECONDS}s" --latency -s "$script" "$URL/" >"$OUT/wrk-$label-c$c.txt" 2>&1
}
for c in 1 16 64; do
  start_server baseline "$KIT" baseline 8
  run_wrk baseline "$OUT/dingtalk.lua" "$c"
  stop_server
  for v in dingtalk wemeet; do
    rec=$OUT/record-$v-c$c.jsonl
    rm -f "$rec"
    if [[ $v == dingtalk ]]; then
      start_server "listen-$v-c$c" env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
        "$BIN" listen --vendor dingtalk --port 0 --record "$rec" -q
    else
      start_server "listen-$v-c$c" env CBKIT_TOKEN=$WM_TOKEN "$BIN" listen --vendor wemeet --port 0 --record "$rec" -q
    fi
    run_wrk "$v" "$OUT/$v.lua" "$c"
    stop_server
    echo "$v	$c	$(wc -l <"$rec")	$(grep -c '"status":200' "$rec")	$(tail -1 "$OUT/listen-$v-c$c.stderr")" >>"$OUT/wrk.tsv"
    forget_record "$rec"
  done
done

# ---- 3c. listener against the bare server, more rounds --------------------------------------
# One 5 s run's p99 is its worst 1 % of requests, and one stall of this machine (tens of ms;
# seen in a baseline run) moves it tenfold. The issue-21 targets (req/s and p99 against the bare
# server at 16 and 64 connections) are judged on the median over P99_ROUNDS rounds (default 5;
# round 1 is part 3's run), the bare server and the listener alternating. Three rounds were too
# few: by hand, the listener's p99 at 16 connections ranged 1.1-9.2 ms over 12 runs of 5 s (the
# bare server's 1.1-1.4 ms), and a median of three took whichever of its modes came up twice.
for c in 16 64; do
  for round in $(seq 2 "${P99_ROUNDS:-5}"); do
    start_server "baseline-r$round-c$c" "$KIT" baseline 8
    run_wrk "baseline-r$round" "$OUT/dingtalk.lua" "$c"
    stop_server
    rec=$OUT/record-dingtalk-r$round-c$c.jsonl
    rm -f "$rec"
    start_server "listen-dingtalk-r$round-c$c" env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
      "$BIN" listen --vendor dingtalk --port 0 --record "$rec" -q
    run_wrk "dingtalk-r$round" "$OUT/dingtalk.lua" "$c"
    stop_server
    forget_record "$rec"
  done
done

# ---- 3b. inspector on vs off ----------------------------------------------------------------
# `listen --inspect` with no page open must stay within 5 % of the same listener without it:
# off and on alternate, INSPECT_ROUNDS times per connection count (default 5), so drift over the
# run hits both alike and one noisy 5 s run does not decide a 5 % target (single runs here
# scatter by +-3 %).
log "wrk: listen --inspect off vs on"
: >"$OUT/inspect.tsv"
rm -f "$OUT"/wrk-inspect-*.txt
for c in 16 64; do
  for round in $(seq "${INSPECT_ROUNDS:-5}"); do
    for mode in off on; do
      flag=(); [[ $mode == on ]] && flag=(--inspect)
      start_server "inspect-$mode-r$round-c$c" env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
        "$BIN" listen --vendor dingtalk --port 0 -q "${flag[@]}"
      run_wrk "inspect-$mode-r$round" "$OUT/dingtalk.lua" "$c"
      stop_server
      echo "$mode	$c	$round	$(tail -1 "$OUT/inspect-$mode-r$round-c$c.stderr")" >>"$OUT/inspect.tsv"
    done
  done
done

# ---- 4. replay throughput -------------------------------------------------------------------
log "replay --count $REPLAY_COUNT --concurrency 64"
rec=$OUT/record-replay.jsonl; rm -f "$rec"
start_server listen-replay env CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
  "$BIN" listen --vendor dingtalk --port 0 --record "$rec" -q
CBKIT_TOKEN=$DT_TOKEN CBKIT_AES_KEY=$DT_AES CBKIT_RECEIVER_ID=$DT_RID \
  "$BIN" replay dingtalk/user_add_org --url "$URL/" --count "$REPLAY_COUNT" --concurrency 64 --json \
  >"$OUT/replay.json" 2>"$OUT/replay.stderr" || true
stop_server
wc -l <"$rec" >"$OUT/replay-record-lines.txt"

# ---- 5. retry timing ------------------------------------------------------------------------
log "retry timing: $RETRY_RUNS runs at --time-scale 0.01"
start_server listen-retry env CBKIT_TOKEN=$WM_TOKEN "$BIN" listen --vendor wemeet --port 0 --status 500 -q
: >"$OUT/retry.jsonl"
for _ in $(seq "$RETRY_RUNS"); do
  CBKIT_TOKEN=$WM_TOKEN "$BIN" replay wemeet/meeting.created --url "$URL/" --time-scale 0.01 --json \
    2>/dev/null | tr -d '\n' >>"$OUT/retry.jsonl" || true
  echo >>"$OUT/retry.jsonl"
done
stop_server

# ---- 6. batch decode ------------------------------------------------------------------------
batch_part

# ---- report ---------------------------------------------------------------------------------
log "writing bench/RESULTS.md"
python3 bench/report.py "$OUT" >"$ROOT/bench/RESULTS.md"
echo "bench/RESULTS.md written" >&2
rm -f "$OUT"/*.reqs.* "$OUT"/record-*.jsonl  # hundreds of MB of requests and records
