#!/usr/bin/env bash
# Mutation testing of the crypto core and the protocol modules, on demand (never run by
# `cargo test`): cargo-mutants changes one operator or return value at a time and checks that
# some test fails. Writes MUTANTS.md: per-file counts and every surviving mutant with its
# judgement from scripts/mutants-judgements.tsv; a survivor without one is flagged
# "REAL (no judgement)".
#
# Usage: scripts/mutants.sh [--report-only] [AREA...]
#   AREA          a directory or .rs file to mutate (default: src/crypto src/protocol); each
#                 AREA is one cargo-mutants run, with its results in mutants.out/<AREA>/
#                 (slashes turned into dashes), so a long area can be run file by file
#   --report-only rewrite MUTANTS.md from the results in mutants.out/ without running
# Environment:
#   MUTANTS_JOBS        parallel builds (default 2; each job builds in its own copy)
#   MUTANTS_TEST_ARGS   the test targets built and run per mutant (default: --lib, the unit
#                       tests; e.g. "--lib --test vectors" adds the published vectors)
#   MUTANTS_TARGET_DIR  a cargo target dir shared by every run instead of copying target/ into
#                       each run's copy of the tree (e.g. `cp -al target /tmp/mutants-target`)
#
# MUTANTS.md merges every result directory: when several runs tested the same mutant, the
# latest one counts. A file of a default area that no run covered is listed as not run; a
# default area with no results at all keeps its section from the previous MUTANTS.md.
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
        sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
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

if ! cargo mutants --version >/dev/null 2>&1; then
    echo "mutants.sh: installing cargo-mutants" >&2
    cargo install --locked cargo-mutants
fi

slug() { echo "$1" | tr '/' '-'; }

if [ "$report_only" = 0 ]; then
    # Given to every cargo command (build and test): arguments after `--` would reach only the
    # test run, and the build would still compile every integration test for each mutant.
    cargo_args=()
    for a in $test_args; do
        cargo_args+=("--cargo-arg=$a")
    done
    # --copy-target: the copy starts from this tree's built dependencies, not from nothing.
    copy_target=true
    if [ -n "${MUTANTS_TARGET_DIR:-}" ]; then
        export CARGO_TARGET_DIR="$MUTANTS_TARGET_DIR"
        copy_target=false
        # A hard-linked copy shares cargo's lock file with target/: every cargo command in the
        # working tree would then hold up the mutants' builds and tests (and time them out).
        lock="$MUTANTS_TARGET_DIR/debug/.cargo-lock"
        if [ -f "$lock" ]; then
            cp "$lock" "$lock.tmp" && mv -f "$lock.tmp" "$lock"
        fi
    fi
    for area in "${areas[@]}"; do
        case "$area" in
        *.rs) file_arg="$area" ;;
        *) file_arg="$area/**/*.rs" ;;
        esac
        out="mutants.out/$(slug "$area")"
        rm -rf "$out"
        mkdir -p "$out"
        start=$(date +%s)
        # Exit codes 2 (missed mutants) and 3 (timeouts) are results, reported below.
        status=0
        cargo mutants --no-shuffle --copy-target="$copy_target" --jobs "$jobs" \
            --file "$file_arg" "${cargo_args[@]}" --output "$out" || status=$?
        case "$status" in
        0 | 2 | 3) ;;
        *)
            echo "mutants.sh: cargo mutants failed on $area (exit $status); see $out/mutants.out/debug.log" >&2
            exit "$status"
            ;;
        esac
        printf '%s\t%s\t%s\t%s\t%s\n' "$area" "$(($(date +%s) - start))" "$jobs" "$test_args" \
            "$(git rev-parse --short HEAD)" >"$out/cbkit-run.tsv"
    done
fi

# How many mutants each file of the default areas has, to list the files no run covered.
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
for area in "${default_areas[@]}"; do
    cargo mutants --list --file "$area/**/*.rs" >>"$listing" 2>/dev/null || true
done

python3 - "$listing" "${default_areas[@]}" <<'PY'
import glob, json, os, re, sys
from collections import defaultdict

listing, default_areas = sys.argv[1], sys.argv[2:]

def under(path, area):
    return path == area or path.startswith(area + "/")

# Judgements: file <TAB> mutant (as cargo-mutants names it, without line:column) <TAB> text.
judged = {}
for n, line in enumerate(open("scripts/mutants-judgements.tsv", encoding="utf-8"), 1):
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 3:
        sys.exit(f"scripts/mutants-judgements.tsv:{n}: want file, mutant, judgement (tabs)")
    judged[(parts[0], parts[1])] = parts[2]

# Every run: mutants.out/<area>/ with cbkit-run.tsv beside cargo-mutants' own mutants.out/.
runs = []
for tsv in glob.glob("mutants.out/*/cbkit-run.tsv"):
    d = os.path.dirname(tsv)
    path = os.path.join(d, "mutants.out", "outcomes.json")
    if not os.path.exists(path):
        continue
    fields = open(tsv).read().rstrip("\n").split("\t")
    facts = dict(zip(["area", "secs", "jobs", "tests", "commit"], fields))
    data = json.load(open(path))
    # A run still going (or stopped) has no end time yet: its start orders it.
    facts["end"] = data.get("end_time") or data.get("start_time") or ""
    facts["when"] = "ended" if data.get("end_time") else "stopped early or still going, started"
    facts["version"] = "cargo-mutants " + data.get("cargo_mutants_version", "?")
    facts["tested"] = sum(
        1 for o in data["outcomes"] if isinstance(o["scenario"], dict) and "Mutant" in o["scenario"]
    )
    runs.append((facts, data["outcomes"]))
runs.sort(key=lambda r: r[0]["end"])

KIND = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable",
        "Timeout": "timeout"}
latest = {}  # (file, name, line, column) -> kind
for facts, outcomes in runs:
    for o in outcomes:
        scenario = o["scenario"]
        if not isinstance(scenario, dict) or "Mutant" not in scenario:
            continue  # the baseline
        m = scenario["Mutant"]
        # cargo-mutants' own one-line name, without "file:line:col: ".
        name = re.sub(r"^\S+:\d+:\d+: ", "", m.get("name") or "")
        start = m.get("span", {}).get("start", {})
        key = (m["file"], name, start.get("line", 0), start.get("column", 0))
        latest[key] = KIND.get(o["summary"], o["summary"])

caught_names = {(k[0], k[1]) for k, v in latest.items() if v == "caught"}
survived_names = {(k[0], k[1]) for k, v in latest.items() if v in ("missed", "timeout")}

listed = defaultdict(int)
for line in open(listing, encoding="utf-8"):
    if ":" in line:
        listed[line.split(":", 1)[0]] += 1

old_sections = {}
if os.path.exists("MUTANTS.md"):
    text = open("MUTANTS.md", encoding="utf-8").read()
    for m in re.finditer(r"^## `([^`]+)/`\n.*?(?=^## `|\Z)", text, re.S | re.M):
        old_sections[m.group(1)] = m.group(0).rstrip("\n")

out = []
w = out.append
w("# Mutation testing")
w("")
w("Written by `scripts/mutants.sh` (see README, Development); do not edit by hand. Judgements")
w("of surviving mutants come from `scripts/mutants-judgements.tsv`. One section per area; a")
w("section whose area has no results on the machine that wrote this file is kept as it was.")
totals = []
for area in default_areas:
    area_runs = [f for f, _ in runs if under(f["area"], area)]
    if not area_runs:
        w("")
        w(old_sections.get(area, f"## `{area}/`\n\nNot run yet."))
        continue
    w("")
    w(f"## `{area}/`")
    w("")
    tests = sorted({f["tests"] for f in area_runs})
    jobs = sorted({f["jobs"] for f in area_runs})
    w(f"{len(area_runs)} run(s), {area_runs[-1]['version']}, `cargo test {' / '.join(tests)}` "
      f"per mutant, {'/'.join(jobs)} job(s), {sum(int(f['secs']) for f in area_runs)} s in all:")
    w("")
    for f in area_runs:
        w(f"- `{f['area']}`: {f['tested']} mutants, {f['secs']} s, {f['when']} "
          f"{f['end'][:16].replace('T', ' ')} UTC, at commit {f['commit']}")
    w("")
    w("| file | mutants | caught | missed | unviable | timeout |")
    w("|---|---:|---:|---:|---:|---:|")
    counts = defaultdict(lambda: defaultdict(int))
    survivors = []
    for (path, name, line, _), kind in latest.items():
        if not under(path, area):
            continue
        counts[path][kind] += 1
        if kind in ("missed", "timeout"):
            survivors.append((path, line, name, kind))
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
    partial = sorted(p for p in counts if listed.get(p, 0) > sum(counts[p].values()))
    if partial:
        w("")
        w("Partly run (a run stopped early): "
          + ", ".join(f"`{p}` ({sum(counts[p].values())} of {listed[p]})" for p in partial) + ".")
    not_run = sorted(p for p in listed if under(p, area) and p not in counts)
    if not_run:
        w("")
        w(f"Not run yet ({sum(listed[p] for p in not_run)} mutants): "
          + ", ".join(f"`{p}` ({listed[p]})" for p in not_run) + ".")
    w("")
    w("### Surviving mutants")
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
    totals.append((area, total["n"], total["missed"], total["timeout"], real))
    stale = sorted(
        k
        for k in judged
        if under(k[0], area) and k in caught_names and k not in survived_names
    )
    if stale:
        w("")
        w("### Survivors of earlier runs, caught in the latest")
        w("")
        w("Their judgements stay in the file so that a regression shows what covered them.")
        w("")
        for path, name in stale:
            w(f"- `{path}`: {name}: {judged[(path, name)]}")
open("MUTANTS.md", "w", encoding="utf-8").write("\n".join(out) + "\n")
for area, n, missed, timeouts, real in totals:
    print(f"MUTANTS.md: {area}/: {n} mutants, {missed} missed, {timeouts} timeouts, "
          f"{real} real survivors")
PY
