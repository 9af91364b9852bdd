#!/usr/bin/env bash
# Mutation testing of the crypto core and the protocol modules, on demand (never run by
# `cargo test`): cargo-mutants changes one operator or return value at a time and checks that
# some test fails. Writes MUTANTS.md: per-file counts and every surviving mutant with its
# judgement from scripts/mutants-judgements.tsv; a survivor without one is flagged
# "REAL (no judgement)".
#
# Usage: scripts/mutants.sh [--report-only] [AREA...]
#   AREA          a directory or .rs file to mutate (default: src/crypto src/protocol)
#   --report-only rewrite MUTANTS.md from the last run's mutants.out/ without running
# Environment:
#   MUTANTS_JOBS       parallel builds (default 2; each job builds in its own copy)
#   MUTANTS_TEST_ARGS  the test targets built and run per mutant (default: --lib, the unit
#                      tests; e.g. "--lib --test vectors" adds the published vectors)
#
# cargo-mutants copies the tree to a temporary directory and mutates the copy (no --in-place):
# the working tree is never changed. Its output goes to mutants.out/ (gitignored).
set -euo pipefail

cd "$(dirname "$0")/.."

default_areas=(src/crypto src/protocol)
report_only=0
areas=()
for arg in "$@"; do
    case "$arg" in
    --report-only) report_only=1 ;;
    -h | --help)
        sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "mutants.sh: unknown option $arg" >&2
        exit 1
        ;;
    *) areas+=("${arg%/}") ;;
    esac
done
[ ${#areas[@]} -gt 0 ] || areas=("${default_areas[@]}")

jobs="${MUTANTS_JOBS:-2}"
test_args="${MUTANTS_TEST_ARGS:---lib}"

if [ "$report_only" = 0 ]; then
    if ! cargo mutants --version >/dev/null 2>&1; then
        echo "mutants.sh: installing cargo-mutants" >&2
        cargo install --locked cargo-mutants
    fi
    file_args=()
    for a in "${areas[@]}"; do
        case "$a" in
        *.rs) file_args+=(--file "$a") ;;
        *) file_args+=(--file "$a/**/*.rs") ;;
        esac
    done
    # Given to every cargo command (build and test): arguments after `--` would reach only the
    # test run, and the build would still compile every integration test for each mutant.
    cargo_args=()
    for a in $test_args; do
        cargo_args+=("--cargo-arg=$a")
    done
    start=$(date +%s)
    # Exit codes 2 (missed mutants) and 3 (timeouts) are results, reported below.
    status=0
    # --copy-target: the copy starts from this tree's built dependencies, not from nothing.
    cargo mutants --no-shuffle --copy-target=true --jobs "$jobs" "${file_args[@]}" \
        "${cargo_args[@]}" || status=$?
    case "$status" in
    0 | 2 | 3) ;;
    *)
        echo "mutants.sh: cargo mutants failed (exit $status); see mutants.out/debug.log" >&2
        exit "$status"
        ;;
    esac
    elapsed=$(($(date +%s) - start))
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%d)" "$elapsed" "$jobs" "$test_args" \
        "${areas[*]}" >mutants.out/cbkit-run.tsv
fi

[ -f mutants.out/outcomes.json ] || {
    echo "mutants.sh: no mutants.out/outcomes.json: run without --report-only first" >&2
    exit 1
}

python3 - "$(cargo mutants --version 2>/dev/null || echo cargo-mutants)" \
    "${default_areas[*]}" <<'PY'
import json, os, re, sys
from collections import defaultdict

version, default_areas = sys.argv[1], sys.argv[2].split()

run = {"date": "?", "secs": "?", "jobs": "?", "tests": "?", "areas": ""}
if os.path.exists("mutants.out/cbkit-run.tsv"):
    fields = open("mutants.out/cbkit-run.tsv").read().rstrip("\n").split("\t")
    run = dict(zip(["date", "secs", "jobs", "tests", "areas"], fields))
areas = run["areas"].split()

# Judgements: file <TAB> mutant (as cargo-mutants names it, without line:column) <TAB> text.
judged = {}
for n, line in enumerate(open("scripts/mutants-judgements.tsv", encoding="utf-8"), 1):
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 3:
        sys.exit(f"scripts/mutants-judgements.tsv:{n}: want file, mutant, judgement (tabs)")
    judged[(parts[0], parts[1])] = parts[2]

SUMMARY = {
    "CaughtMutant": "caught",
    "MissedMutant": "missed",
    "Unviable": "unviable",
    "Timeout": "timeout",
}
counts = defaultdict(lambda: defaultdict(int))
survivors = []  # (file, line, name, outcome)
outcomes = json.load(open("mutants.out/outcomes.json"))
for o in outcomes["outcomes"]:
    scenario = o["scenario"]
    if not isinstance(scenario, dict) or "Mutant" not in scenario:
        continue  # the baseline
    m = scenario["Mutant"]
    kind = SUMMARY.get(o["summary"], o["summary"])
    path = m["file"]
    counts[path][kind] += 1
    if kind in ("missed", "timeout"):
        line = m.get("span", {}).get("start", {}).get("line", 0)
        # cargo-mutants' own one-line name, without "file:line:col: ".
        name = re.sub(r"^\S+:\d+:\d+: ", "", m.get("name") or "")
        survivors.append((path, line, name, kind))

out = []
w = out.append
w("# Mutation testing")
w("")
w("Written by `scripts/mutants.sh` (see README, Development); do not edit by hand. Judgements")
w("of surviving mutants come from `scripts/mutants-judgements.tsv`.")
w("")
w(f"Run of {run['date']}: {version}, `cargo test {run['tests']}` per mutant, "
  f"{run['jobs']} jobs, {run['secs']} s. Mutated: {', '.join(f'`{a}/`' for a in areas)}.")
pending = [d for d in default_areas if d not in areas]
if pending:
    w(f"Pending (not in this run): {', '.join(f'`{a}/`' for a in pending)}.")
w("")
w("| file | mutants | caught | missed | unviable | timeout |")
w("|---|---:|---:|---:|---:|---:|")
total = defaultdict(int)
for path in sorted(counts):
    c = counts[path]
    n = sum(c.values())
    total["n"] += n
    for k in ("caught", "missed", "unviable", "timeout"):
        total[k] += c[k]
    w(f"| `{path}` | {n} | {c['caught']} | {c['missed']} | {c['unviable']} | {c['timeout']} |")
w(f"| **total** | {total['n']} | {total['caught']} | {total['missed']} | "
  f"{total['unviable']} | {total['timeout']} |")
w("")
w("## Surviving mutants")
w("")
real = 0
used = set()
if not survivors:
    w("None.")
for path, line, name, kind in sorted(survivors):
    j = judged.get((path, name))
    if j is None:
        real += 1
        j = "**REAL (no judgement)**"
    elif j.startswith("fixed by"):
        real += 1
        used.add((path, name))
        j = f"**REAL (judged \"{j}\", but it survives)**"
    else:
        used.add((path, name))
    tag = " (timeout)" if kind == "timeout" else ""
    w(f"- `{path}:{line}`: {name}{tag}: {j}")
w("")
w(f"Real survivors (no judgement, or judged fixed but surviving): {real}.")
stale = sorted(
    k for k in judged if k not in used and any(k[0] == a or k[0].startswith(a + "/") for a in areas)
)
if stale:
    w("")
    w("## Survivors of earlier runs, caught in this one")
    w("")
    w("Their judgements stay in the file so that a regression shows what covered them.")
    w("")
    for path, name in stale:
        w(f"- `{path}`: {name}: {judged[(path, name)]}")
open("MUTANTS.md", "w", encoding="utf-8").write("\n".join(out) + "\n")
print(f"MUTANTS.md: {total['n']} mutants, {total['missed']} missed, "
      f"{total['timeout']} timeouts, {real} real survivors")
PY
