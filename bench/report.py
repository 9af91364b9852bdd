#!/usr/bin/env python3
"""Write bench/RESULTS.md from the raw outputs bench/run.sh leaves in bench/out/.

Every figure below is read from those files; nothing is typed in by hand."""
import glob, json, math, os, re, sys

OUT = sys.argv[1]
SIZES = [64, 1024, 65536, 1048576]
LABEL = {64: "64B", 1024: "1KiB", 65536: "64KiB", 1048576: "1MiB"}
lines = []
verdicts = []  # (target, figure, met)


def p(s=""):
    lines.append(s)


def load(name, default=None):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def us(ns):
    return f"{ns / 1000:.2f} µs" if ns < 1e6 else f"{ns / 1e6:.2f} ms"


def mbps(nbytes, ns):
    return f"{nbytes / ns * 1e3:.0f} MB/s"


def verdict(target, figure, met):
    verdicts.append((target, figure, met))


def nearest(n):
    return min(SIZES, key=lambda s: abs(math.log(max(n, 1)) - math.log(s)))


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else float("nan")


def batch_section():
    """Part 6: batch decode of a capture file, cbkit against the Python peers (one process each)."""
    times_path = os.path.join(OUT, "batch-times.tsv")
    if not os.path.exists(times_path):
        return
    n = int(open(os.path.join(OUT, "batch-lines.txt")).read())
    runs = {}
    for line in open(times_path):
        tool, _run, wall, rss, code = line.rstrip("\n").split("\t")
        runs.setdefault(tool, []).append((float(wall), int(rss), int(code)))
    peer_info, loops = {}, {}
    for line in open(os.path.join(OUT, "batch-peers.jsonl")):
        if line.strip():
            r = json.loads(line)
            if "unavailable" in r:
                peer_info[r["peer"]] = r["unavailable"]
            else:
                loops.setdefault(r["peer"], []).append(r["loop_seconds"])
    check = load("batch-check.json", {})
    correct = {os.path.basename(k)[len("batch-out-"):-len(".jsonl")]: v
               for k, v in check.items() if isinstance(v, dict)}
    p(f"## 6. Batch decode (`cbkit decode --from-capture FILE --all`, {n:,} DingTalk capture lines, 1 KiB plaintexts)")
    p()
    p("Each tool decodes the whole file in one process: cbkit, and each Python peer in one Python "
      "process that parses every line with `json`, verifies and decrypts it with the library and "
      "writes one JSON line (`bench/peers.py batch`). Wall time from bash's clock, max RSS from `/usr/bin/time`, "
      f"median of {len(runs.get('cbkit', []))} runs with the output to /dev/null; correctness from "
      "one more run each, every output line compared with the plaintext its capture line holds.")
    p()
    p("| tool | wall (median) | lines/s | max RSS | Python loop alone | correct lines | exit codes |")
    p("|---|---|---|---|---|---|---|")
    rate = {}
    for tool, rs in runs.items():
        wall = median([r[0] for r in rs])
        rss = max(r[1] for r in rs)
        rate[tool] = n / wall if wall > 0 else float("inf")
        loop = f"{n / median(loops[tool]):,.0f} lines/s" if tool in loops else "–"
        ok = correct.get(tool, {})
        okc = f"{ok.get('correct', 0):,} / {ok.get('lines', 0):,}" if ok else "–"
        p(f"| {tool} | {wall:.3f} s | {rate[tool]:,.0f} | {rss / 1024:.1f} MiB | {loop} | {okc} | "
          f"{', '.join(sorted({str(r[2]) for r in rs}))} |")
    for peer, why in peer_info.items():
        p(f"| {peer} | unavailable: {why} | | | | | |")
    p()
    cb = rate.get("cbkit")
    # Python judged by its loop alone (start-up and imports left out, in its favour); cbkit by
    # its whole process.
    loop_rate = {t: n / median(v) for t, v in loops.items()}
    libraries = {t: r for t, r in loop_rate.items() if t in ("dingtalk-sdk", "wechatpy")}
    if cb and libraries:
        best = max(libraries, key=libraries.get)
        ratio = cb / libraries[best]
        whole = cb / rate[best] if best in rate else float("nan")
        p(f"cbkit (whole process) / fastest Python peer library ({best}, its loop alone) = "
          f"**{ratio:.1f}×** lines/s ({whole:.1f}× process against process).")
        verdict(f"Batch decode ≥ 10× the fastest Python peer library's lines/s ({n:,} DingTalk lines, 1 KiB)",
                f"{ratio:.1f}× ({cb:,.0f} vs {libraries[best]:,.0f} lines/s, {best})", ratio >= 10)
    if cb and "minimal-cryptography" in loop_rate:
        p(f"Against the hand-written shortest Python path (`minimal-cryptography`, loop alone): "
          f"{cb / loop_rate['minimal-cryptography']:.1f}×.")
    if "cbkit" in runs:
        rss = max(r[1] for r in runs["cbkit"]) / 1024
        verdict("Batch decode max RSS < 50 MB", f"{rss:.1f} MiB", rss * 1024 * 1024 < 50e6)
    if correct:
        all_ok = all(v["correct"] == n and v["lines"] == n for v in correct.values())
        verdict("Batch decode: every line correct (cbkit and each peer)",
                ", ".join(f"{t} {v['correct']:,}/{n:,}" for t, v in correct.items()), all_ok)
    p()


def targets():
    p("## Targets")
    p()
    p("| target | figure (this run) | met |")
    p("|---|---|---|")
    for t, f, m in verdicts:
        p(f"| {t} | {f} | {'yes' if m else '**no**'} |")
    p()


if sys.argv[2:] == ["--only", "batch"]:
    p("# cbkit batch-decode benchmark (`BATCH_ONLY=1 bench/run.sh`)")
    p()
    batch_section()
    targets()
    print("\n".join(lines))
    sys.exit(0)

crit = load("criterion.json", {})
lengths = {(x["vendor"], x["size"]): x for x in load("lengths.json", [])}
peers = load("peers.json", {"versions": {}, "results": {}})

# openssl: bytes per second, by (size, what)
ossl = {}
for line in open(os.path.join(OUT, "openssl.txt")):
    size, what, f = line.rstrip("\n").split("|")
    m = re.match(r"\+F:\d+:[^:]+:([\d.]+)", f)
    if m:
        ossl[(int(size), what)] = float(m.group(1))


def ossl_ns(what, nbytes):
    """openssl's time (ns) for nbytes at the rate it reached for the nearest size class."""
    if nbytes == 0:
        return 0.0
    rate = ossl.get((nearest(nbytes), what))
    return nbytes / rate * 1e9 if rate else float("nan")


def c(key):
    v = crit.get(key)
    return v["median_ns"] if v else float("nan")


p("# cbkit benchmarks (issue #9)")
p()
p("Generated by `bench/run.sh` (raw outputs in `bench/out/`, this file by `bench/report.py`). "
  "All comparisons are from the same run on the same machine. Times are criterion medians "
  "(crypto), hyperfine means/medians (start-up), wrk figures (listener), cbkit's own load "
  "summary (replay).")
p()
p("## Machine")
p()
p("```")
p(open(os.path.join(OUT, "machine.txt")).read().rstrip())
p("```")
p()
p("Python peers: " + ", ".join(f"{k} {v}" for k, v in peers.get("versions", {}).items()))
p()
p("## Commands")
p()
p("```")
p("cargo bench --bench crypto -- --warm-up-time 1 --measurement-time 2   # benches/crypto.rs")
p("openssl speed -mr -seconds 1 -bytes {64,1024,65536,1048576} {-evp aes-256-cbc [-decrypt] | sha1 | sha256}")
p("benchkit vectors > vectors.json; python3 bench/peers.py vectors.json   # same envelopes, Python peers")
p("hyperfine -N --warmup 20 --runs 200 'bench/hello (Rust hello-world, cbkit's release profile)' 'cbkit --version' 'cbkit sign wemeet ...' 'openssl dgst -sha1 FILE' 'python3 -c ...' 'cbkit decode dingtalk ...' 'python3 -c ...'")
p("benchkit interleave 1000 -- hello-world -- 'hello-clap sign wemeet ...' -- 'cbkit --version' -- 'cbkit sign wemeet ...'   # fresh copies, in turn, rotated")
p("benchkit wrk-data {dingtalk,wemeet} 240000 1024 FILE 2 > {dingtalk,wemeet}.lua   # distinct signed requests, one file per wrk thread")
p("wrk -t{1,2} -c{1,16,64} -d5s --latency -s {dingtalk,wemeet}.lua URL   # against benchkit baseline / cbkit listen --record -q")
p("cbkit replay dingtalk/user_add_org --url URL --count 20000 --concurrency 64 --json   # against cbkit listen --record")
p("cbkit replay wemeet/meeting.created --url URL --time-scale 0.01 --json   # x20, listener answering 500")
p("```")
p()

# ---- 1. crypto ------------------------------------------------------------------------------
p("## 1. Crypto and signing")
p()
p("`sign`/`verify`: the vendor's signature over a request carrying an N-byte plaintext event "
  "(the signed string is the base64 ciphertext for the encrypting vendors; Tencent IM signs only "
  "token + RequestTime, so its cost does not grow with N). The openssl column prices the same "
  "number of hashed bytes at `openssl speed sha1/sha256`'s rate for that size class; "
  "ratio = openssl time / cbkit time (≥ 1 means cbkit is as fast or faster).")
p()
p("| op | vendor | size | hashed bytes | cbkit | openssl same bytes | ratio |")
p("|---|---|---|---|---|---|---|")
worst_sv = None
for op in ["sign", "verify"]:
    for v in ["wemeet", "tencent-im", "dingtalk", "wecom", "feishu"]:
        for s in SIZES:
            ln = lengths.get((v, s))
            t = c(f"{op}/{v}/{LABEL[s]}")
            if not ln or math.isnan(t):
                continue
            o = ossl_ns(ln["hash"], ln["signed_bytes"])
            r = o / t
            if ln["signed_bytes"] >= 1024 and (worst_sv is None or r < worst_sv[0]):
                worst_sv = (r, f"{op}/{v}/{LABEL[s]}")
            p(f"| {op} | {v} | {LABEL[s]} | {ln['signed_bytes']} | {us(t)} | {us(o)} | {r:.2f} |")
p()
p("For very small inputs openssl's per-call figure (`-bytes 64`) is a tight loop with no "
  "allocation; cbkit's includes formatting the hex digest and building the sorted parts, "
  "so the target is judged on inputs of at least 1 KiB of hashed bytes.")
if worst_sv:
    verdict("Sign/verify ≥ 0.8× openssl sha1/sha256 throughput (≥1 KiB hashed)",
            f"worst {worst_sv[0]:.2f}× ({worst_sv[1]})", worst_sv[0] >= 0.8)
p()

p("### Verify + decrypt (what a receiver does with a request)")
p()
p("`decrypt/<vendor>`: verify the signature, base64-decode, AES-256-CBC decrypt, unframe. "
  "The limit column is openssl's time for the same hash over the same signed bytes plus "
  "`aes-256-cbc -decrypt` over the same ciphertext bytes (base64 decoding is not in it); "
  "ratio = cbkit / limit (≤ 1.3 is the target at 64 KiB).")
p()
p("| vendor | size | cbkit | throughput | limit (openssl hash + aes dec) | cbkit / limit |")
p("|---|---|---|---|---|---|")
for v in ["dingtalk", "wecom", "feishu", "wemeet"]:
    for s in SIZES:
        ln = lengths.get((v, s))
        t = c(f"decrypt/{v}/{LABEL[s]}")
        if not ln or math.isnan(t):
            continue
        lim = ossl_ns(ln["hash"], ln["signed_bytes"]) + ossl_ns("-evp aes-256-cbc -decrypt", ln["cipher_bytes"])
        p(f"| {v} | {LABEL[s]} | {us(t)} | {mbps(s, t)} | {us(lim)} | {t / lim:.2f} |")
        if s == 65536 and v in ("dingtalk", "wecom"):
            verdict(f"{v} verify+decrypt at 64 KiB within 1.3× of openssl sha1 + aes-256-cbc decrypt",
                    f"{t / lim:.2f}×", t / lim <= 1.3)
p()

p("### Against the Python peer libraries (same envelopes)")
p()
p("Python figures: median of 5 `timeit` runs, verify + decrypt through each library's public "
  "call (`dingtalk-sdk` `DingTalkCrypto.decrypt_encrypt_str`, `wechatpy` "
  "`WeChatCrypto.decrypt_message` on the XML body; `minimal-cryptography` is a hand-written "
  "shortest path on `cryptography` + `hashlib`, the fastest Python can be). Ratio = Python / cbkit.")
p()
p("| vendor | op | size | cbkit | peer | peer time | peer / cbkit |")
p("|---|---|---|---|---|---|---|")
res = peers.get("results", {})
for v in ["dingtalk", "wecom"]:
    for op in ["decrypt", "encrypt"]:
        for s in SIZES:
            t = c(f"{op}/{v}/{LABEL[s]}")
            fastest = None
            for peer, r in sorted(res.items()):
                pt = r.get(f"{v}/{op}/{s}")
                if pt is None or math.isnan(t):
                    continue
                ratio = pt * 1e9 / t
                p(f"| {v} | {op} | {LABEL[s]} | {us(t)} | {peer} | {us(pt * 1e9)} | {ratio:.1f}× |")
                if fastest is None or pt < fastest[0]:
                    fastest = (pt, peer, ratio)
            if op == "decrypt" and s == 1024 and fastest:
                verdict(f"{v} verify+decrypt at 1 KiB ≥ 10× faster than the fastest Python peer",
                        f"{fastest[2]:.1f}× (fastest peer: {fastest[1]}, {fastest[0] * 1e6:.1f} µs)",
                        fastest[2] >= 10)
p()

p("### Encrypt (build the signed request a vendor sends)")
p()
p("| vendor | size | cbkit | limit (openssl hash + aes enc) | cbkit / limit |")
p("|---|---|---|---|---|")
for v in ["dingtalk", "wecom", "feishu", "wemeet"]:
    for s in SIZES:
        ln = lengths.get((v, s))
        t = c(f"encrypt/{v}/{LABEL[s]}")
        if not ln or math.isnan(t):
            continue
        lim = ossl_ns(ln["hash"], ln["signed_bytes"]) + ossl_ns("-evp aes-256-cbc", ln["cipher_bytes"])
        p(f"| {v} | {LABEL[s]} | {us(t)} | {us(lim)} | {t / lim:.2f} |")
p()
p("AES-CBC encryption is sequential (each block needs the previous one), so openssl and cbkit "
  "both run at one block per AES latency; decryption is parallel and far faster.")
p()

p("### Primitives: RustCrypto (as cbkit uses it) against openssl")
p()
p("| primitive | size | RustCrypto | openssl | openssl time / Rust time |")
p("|---|---|---|---|---|")
for name, what in [("sha1", "sha1"), ("sha256", "sha256"),
                   ("aes256cbc-dec", "-evp aes-256-cbc -decrypt"), ("aes256cbc-enc", "-evp aes-256-cbc")]:
    for s in SIZES:
        t = c(f"prim/{name}/{LABEL[s]}")
        o = ossl_ns(what, s)
        if math.isnan(t):
            continue
        p(f"| {name} | {LABEL[s]} | {mbps(s, t)} | {mbps(s, o)} | {o / t:.2f} |")
p()

# ---- 2. start-up ----------------------------------------------------------------------------
p("## 2. Command start-up (whole processes, warm cache)")
p()
hf = load("hyperfine.json", {"results": []})
byname = {r["command"]: r for r in hf["results"]}
p("| command | mean | median | min | σ |")
p("|---|---|---|---|---|")
for r in hf["results"]:
    p(f"| {r['command']} | {r['mean'] * 1e3:.2f} ms | {r['median'] * 1e3:.2f} ms | {r['min'] * 1e3:.2f} ms | {r['stddev'] * 1e3:.2f} ms |")
p()
inter_path = os.path.join(OUT, "startup-interleaved.jsonl")
inter = {r["command"]: r for r in map(json.loads, open(inter_path))} if os.path.exists(inter_path) else {}
hello = byname.get("rust hello-world", {}).get("median")
if hello:
    for name in ["cbkit --version", "cbkit sign wemeet", "cbkit decode dingtalk"]:
        if name in byname:
            m = byname[name]["median"]
            p(f"{name} / Rust hello-world (same release profile) = {m / hello:.2f} (median; {m * 1e3:.2f} ms vs {hello * 1e3:.2f} ms)")
            if name == "cbkit sign wemeet" and not inter:
                verdict("Start-up + one sign: median ≤ 1.3× a Rust hello-world (same release profile)",
                        f"{m / hello:.2f}× ({m * 1e3:.2f} ms vs {hello * 1e3:.2f} ms)", m / hello <= 1.3)
    p()
if inter:
    rounds = next(iter(inter.values()))["rounds"]
    p(f"Interleaved ({rounds} rounds of the commands in turn, fresh copies of each binary; "
      "the median over rounds of each command's time over the hello-world's in the same round):")
    p()
    p("| command | median | / hello-world, per round |")
    p("|---|---|---|")
    for name, r in inter.items():
        p(f"| {name} | {r['median_us'] / 1e3:.2f} ms | {r['ratio_to_first']:.2f} |")
    p()
    floor = inter.get("clap hello (one subcommand)")
    if floor and "cbkit sign wemeet" in inter:
        p(f"Of cbkit sign's {inter['cbkit sign wemeet']['ratio_to_first']:.2f}×, a clap CLI of the same "
          f"command line's shape takes {floor['ratio_to_first']:.2f}× (bench/hello-clap: cbkit's clap and "
          "release profile, one subcommand, nothing else).")
        p()
    if "cbkit sign wemeet" in inter:
        r = inter["cbkit sign wemeet"]
        verdict("Start-up + one sign: median ≤ 1.3× a Rust hello-world (same release profile; interleaved, per-round ratio)",
                f"{r['ratio_to_first']:.2f}× ({r['median_us'] / 1e3:.2f} ms vs {inter['rust hello-world']['median_us'] / 1e3:.2f} ms)",
                r["ratio_to_first"] <= 1.3)
        p()
faults_tsv = os.path.join(OUT, "startup-faults.tsv")
faults = [l.rstrip("\n").split("\t") for l in open(faults_tsv)] if os.path.exists(faults_tsv) else []
if faults:
    p("Page faults per start (minor faults, median of 21 runs; they do not move with the machine's load): "
      + ", ".join(f"{name} {n}" for name, n in faults))
    p()
if "cbkit sign wemeet" in byname and "openssl dgst -sha1" in byname:
    cs, od = byname["cbkit sign wemeet"]["median"], byname["openssl dgst -sha1"]["median"]
    py = byname.get("python3 sign one-liner", {}).get("median")
    p(f"cbkit sign / openssl dgst = {cs / od:.2f} (median); python one-liner / cbkit sign = {py / cs:.1f}×" if py else "")
    verdict("Start-up + one sign: median ≤ 3 ms", f"{cs * 1e3:.2f} ms", cs <= 0.003)
    verdict("Start-up + one sign no slower than `openssl dgst`", f"{cs * 1e3:.2f} ms vs {od * 1e3:.2f} ms ({cs / od:.2f}×)", cs <= od)
if "cbkit decode dingtalk" in byname and "python3 decode one-liner" in byname:
    cd, pd = byname["cbkit decode dingtalk"]["median"], byname["python3 decode one-liner"]["median"]
    p()
    p(f"cbkit decode dingtalk: {cd * 1e3:.2f} ms median; python one-liner / cbkit decode = {pd / cd:.1f}×")
p()

# ---- 3. listener ----------------------------------------------------------------------------
p("## 3. Listener throughput (wrk on loopback, pre-signed valid requests, 1 KiB plaintext)")
p()


def parse_wrk(path):
    if not os.path.exists(path):
        return None
    t = open(path).read()
    def lat(q):
        m = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)]
    rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
    n = re.search(r"(\d+) requests in", t)
    non200 = re.search(r"non200 (\d+)", t)
    errs = re.search(r"Socket errors: (.*)", t)
    return {"rps": float(rps.group(1)) if rps else float("nan"), "p50": lat(50), "p99": lat(99),
            "n": int(n.group(1)) if n else 0, "non200": int(non200.group(1)) if non200 else -1,
            "errors": errs.group(1).strip() if errs else "none"}


rec = {}
if os.path.exists(os.path.join(OUT, "wrk.tsv")):
    for line in open(os.path.join(OUT, "wrk.tsv")):
        v, conns, lines_, ok, summary = line.rstrip("\n").split("\t")
        rec[(v, int(conns))] = (int(lines_), int(ok), summary)
p("| server | conns | req/s | p50 | p99 | answered (wrk) | non-200 | socket errors | record lines | listener count | vs baseline |")
p("|---|---|---|---|---|---|---|---|---|---|---|")
for conns in [1, 16, 64]:
    base = parse_wrk(os.path.join(OUT, f"wrk-baseline-c{conns}.txt"))
    if base:
        p(f"| tiny_http baseline (fixed string) | {conns} | {base['rps']:.0f} | {base['p50']:.2f} ms | {base['p99']:.2f} ms | {base['n']} | {base['non200']} | {base['errors']} | – | – | 1.00 |")
    for v in ["dingtalk", "wemeet"]:
        w = parse_wrk(os.path.join(OUT, f"wrk-{v}-c{conns}.txt"))
        if not w:
            continue
        lines_, ok, summary = rec.get((v, conns), (0, 0, ""))
        ratio = w["rps"] / base["rps"] if base else float("nan")
        p(f"| cbkit listen --vendor {v} --record | {conns} | {w['rps']:.0f} | {w['p50']:.2f} ms | {w['p99']:.2f} ms | {w['n']} | {w['non200']} | {w['errors']} | {lines_} | {summary} | {ratio:.2f} |")
        m = re.match(r"(\d+) requests", summary)
        handled = int(m.group(1)) if m else -1
        if v == "dingtalk" and conns == 16:
            verdict("Listener (dingtalk, verify+decrypt+record) ≥ 0.5× tiny_http baseline at 16 connections", f"{ratio:.2f}×", ratio >= 0.5)
            verdict("Listener ≥ 10,000 req/s at 16 connections", f"{w['rps']:.0f} req/s", w["rps"] >= 10000)
            verdict("Listener p99 ≤ 10 ms at 16 connections", f"{w['p99']:.2f} ms", w["p99"] <= 10)
        mv = re.search(r"(\d+) verified", summary)
        verified = int(mv.group(1)) if mv else -1
        verdict(f"Every request distinct and verified ({v}, {conns} conns): no replay flagged, nothing failed",
                f"{handled} requests, {verified} verified", handled > 0 and verified == handled)
        if v == "dingtalk":
            lost = handled - lines_
            verdict(f"Zero lost records (dingtalk, {conns} conns): record lines == requests the listener answered, ≥ wrk's count",
                    f"{lines_} lines, listener {handled}, wrk {w['n']}", lost == 0 and lines_ >= w["n"])
p()
p("`answered (wrk)` counts responses wrk completed inside its window; requests still in flight "
  "when wrk stops are answered and recorded by the listener but not counted by wrk, so record "
  "lines may exceed it by at most the number of connections. `listener count` is the listener's "
  "own summary on exit (SIGTERM).")
p()

# ---- 3c. listener against the bare server, over rounds --------------------------------------
def rounds_of(label, conns):
    runs = [parse_wrk(os.path.join(OUT, f"wrk-{label}-c{conns}.txt"))]
    r = 2
    while os.path.exists(os.path.join(OUT, f"wrk-{label}-r{r}-c{conns}.txt")):
        runs.append(parse_wrk(os.path.join(OUT, f"wrk-{label}-r{r}-c{conns}.txt")))
        r += 1
    return [w for w in runs if w]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


p("### 3c. `listen --vendor dingtalk --record` against the bare server, round by round")
p()
p("Round 1 is the run in the table above; further rounds (P99_ROUNDS) alternate the bare server "
  "and the listener. The issue-21 targets take the median over the rounds, so that one stall of "
  "the machine in one 5 s run does not decide them.")
p()
p("| conns | round | baseline req/s | listener req/s | ratio | baseline p99 | listener p99 | p99 ratio |")
p("|---|---|---|---|---|---|---|---|")
for conns in (16, 64):
    bs, ls = rounds_of("baseline", conns), rounds_of("dingtalk", conns)
    if not bs or not ls or len(bs) != len(ls):
        continue
    for i, (b, l) in enumerate(zip(bs, ls), 1):
        p(f"| {conns} | {i} | {b['rps']:.0f} | {l['rps']:.0f} | {l['rps'] / b['rps']:.2f} | "
          f"{b['p99']:.2f} ms | {l['p99']:.2f} ms | {l['p99'] / b['p99']:.2f} |")
    mb_rps, ml_rps = median([b["rps"] for b in bs]), median([l["rps"] for l in ls])
    mb_p99, ml_p99 = median([b["p99"] for b in bs]), median([l["p99"] for l in ls])
    p(f"| {conns} | median | {mb_rps:.0f} | {ml_rps:.0f} | {ml_rps / mb_rps:.2f} | {mb_p99:.2f} ms | "
      f"{ml_p99:.2f} ms | {ml_p99 / mb_p99:.2f} |")
    if conns == 16:
        verdict("Listener (dingtalk) ≥ 0.8× the bare tiny_http baseline at 16 connections (median of rounds)",
                f"{ml_rps / mb_rps:.2f}× ({ml_rps:.0f} vs {mb_rps:.0f} req/s, {len(bs)} rounds)", ml_rps / mb_rps >= 0.8)
    limit = 1.5 if conns == 16 else 2.0
    verdict(f"Listener p99 ≤ {limit}× the baseline's p99 at {conns} connections (medians of rounds)",
            f"{ml_p99 / mb_p99:.2f}× ({ml_p99:.2f} ms vs {mb_p99:.2f} ms, {len(bs)} rounds)", ml_p99 / mb_p99 <= limit)
p()

# ---- 3b. inspector --------------------------------------------------------------------------
if os.path.exists(os.path.join(OUT, "inspect.tsv")):
    p("## 3b. Listener with `--inspect` (no page open) against the same listener without it")
    p()
    p("`cbkit listen --vendor dingtalk -q` without `--record`, off and on alternated "
      "(INSPECT_ROUNDS rounds per connection count, wrk as in section 3); req/s summed over the rounds.")
    p()
    p("| conns | off req/s (each round) | on req/s (each round) | on / off | each round's on / off: mean ± standard error | p99 off | p99 on |")
    p("|---|---|---|---|---|---|---|")
    for conns in [16, 64]:
        rounds = [r for r in range(1, 100)
                  if os.path.exists(os.path.join(OUT, f"wrk-inspect-off-r{r}-c{conns}.txt"))]
        runs = {m: [parse_wrk(os.path.join(OUT, f"wrk-inspect-{m}-r{r}-c{conns}.txt")) for r in rounds]
                for m in ("off", "on")}
        if not rounds or not all(runs["off"]) or not all(runs["on"]):
            continue
        off = sum(w["rps"] for w in runs["off"])
        on = sum(w["rps"] for w in runs["on"])
        ratio = on / off if off else float("nan")
        p99 = lambda m: max(w["p99"] for w in runs[m])
        each = lambda m: ", ".join(f"{w['rps']:.0f}" for w in runs[m])
        # The rounds' own ratios say how far the summed one can be trusted: on a noisy host one
        # 5 s run scatters by several per cent, and the target's margin is 5 %.
        per_round = [b["rps"] / a["rps"] for a, b in zip(runs["off"], runs["on"]) if a["rps"]]
        mean = sum(per_round) / len(per_round)
        se = (math.sqrt(sum((x - mean) ** 2 for x in per_round) / (len(per_round) - 1) / len(per_round))
              if len(per_round) > 1 else float("nan"))
        p(f"| {conns} | {off:.0f} ({each('off')}) | {on:.0f} ({each('on')}) | {ratio:.3f} | "
          f"{mean:.3f} ± {se:.3f} | {p99('off'):.2f} ms | {p99('on'):.2f} ms |")
        verdict(f"--inspect with no page open within 5 % of off ({conns} conns)",
                f"{ratio:.3f}× (rounds {mean:.3f} ± {se:.3f})", ratio >= 0.95)
    p()

# ---- 4. replay ------------------------------------------------------------------------------
p("## 4. Replay throughput (`cbkit replay --count N --concurrency 64` against `cbkit listen --record`)")
p()
rp = load("replay.json")
if rp:
    rl = open(os.path.join(OUT, "replay-record-lines.txt")).read().strip()
    p(f"sent {rp['sent']}, accepted {rp['accepted']}, rejected {rp['rejected']} in {rp['elapsed_ms'] / 1000:.2f} s: "
      f"**{rp['accepted_per_sec']:.0f} accepted/s**; latency p50 {rp['latency_ms']['p50']} ms, "
      f"p95 {rp['latency_ms']['p95']} ms, p99 {rp['latency_ms']['p99']} ms; record lines {rl}; rejections {json.dumps(rp.get('rejections', {}))}")
    verdict("Replay ≥ 5,000 accepted deliveries/s at concurrency 64", f"{rp['accepted_per_sec']:.0f}/s", rp["accepted_per_sec"] >= 5000)
else:
    p("replay produced no JSON summary (see bench/out/replay.stderr)")
p()

# ---- 5. retry timing ------------------------------------------------------------------------
p("## 5. Retry timing accuracy (`--time-scale 0.01`, Tencent Meeting schedule, listener answering 500)")
p()
devs = {}
runs = 0
for line in open(os.path.join(OUT, "retry.jsonl")):
    line = line.strip()
    if not line:
        continue
    runs += 1
    for d in json.loads(line)["deliveries"]:
        for a in d["attempts"]:
            devs.setdefault(a["attempt"], []).append(a["sent_at_ms"] - a["scheduled_at_ms"])
p(f"{runs} runs. Deviation = sent_at_ms − scheduled_at_ms (real milliseconds).")
p()
p("| attempt | n | mean | max |")
p("|---|---|---|---|")
worst = 0.0
for k in sorted(devs):
    d = devs[k]
    worst = max(worst, max(abs(x) for x in d))
    p(f"| {k} | {len(d)} | {sum(d) / len(d):.3f} ms | {max(d, key=abs):.3f} ms |")
p()
if devs:
    verdict("Retry timing: every attempt within 20 ms of schedule at time-scale 0.01", f"max |deviation| {worst:.3f} ms over {runs} runs", worst <= 20)

# ---- 6. batch decode ------------------------------------------------------------------------
batch_section()

# ---- targets --------------------------------------------------------------------------------
targets()
notes = os.path.join(os.path.dirname(OUT), "NOTES.md")
if os.path.exists(notes):
    p(open(notes).read().rstrip())
print("\n".join(lines))
