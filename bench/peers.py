#!/usr/bin/env python3
"""Python peer libraries on the same vectors as the criterion benches (issue #9, part 1).

Reads the vectors `cargo run --example benchkit -- vectors` writes (DingTalk and WeCom envelopes
built by cbkit's own Vendor::seal with the bundled demo secrets) and times, per vector,
verify + decrypt (and encrypt) in:
  - dingtalk-sdk  (dingtalk.crypto.DingTalkCrypto; uses `cryptography` when installed)
  - wechatpy      (wechatpy.enterprise.crypto.WeChatCrypto, WeCom)
  - a hand-written minimal version on `cryptography` + hashlib (the fastest Python can be)
Prints one JSON document: {peer: {"vendor/op/size": seconds_per_op}, "versions": {...}}.

`peers.py batch PEER CAPTURE OUT TOKEN AES_KEY RECEIVER_ID` and `peers.py batch-check CAPTURE
OUT...` are the Python side of the batch-decode benchmark (bench/run.sh, part 6).
"""
import base64, hashlib, json, struct, sys, timeit


# --- batch decode (part 6): a capture file through one Python process -----------------------
def batch(peer, cap_path, out_path, token, aes_key, receiver_id):
    """Decode every line of a `cbkit listen --record` file the way a user's script would: parse
    the line with json, take the signature fields from the query and the ciphertext from the
    body, verify + decrypt with the library, read the event type, write one JSON line.
    Prints {"peer", "lines", "failed", "loop_seconds"} (the loop alone, without start-up)."""
    import time
    from urllib.parse import parse_qsl

    if peer == "dingtalk-sdk":
        from dingtalk.crypto import DingTalkCrypto

        c = DingTalkCrypto(token, aes_key, receiver_id)

        def open_(sig, ts, nonce, enc):
            return c.decrypt_encrypt_str(sig, ts, nonce, enc)
    elif peer == "wechatpy":
        # The WXBizMsgCrypt envelope DingTalk shares with WeCom; wechatpy takes the fields as a
        # dict instead of XML.
        from wechatpy.enterprise.crypto import WeChatCrypto

        c = WeChatCrypto(token, aes_key, receiver_id)

        def open_(sig, ts, nonce, enc):
            return c.decrypt_message({"Encrypt": enc}, sig, ts, nonce)
    elif peer == "minimal-cryptography":
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        key = base64.b64decode(aes_key + "=")

        def open_(sig, ts, nonce, enc):
            if hashlib.sha1("".join(sorted([token, ts, nonce, enc])).encode()).hexdigest() != sig:
                raise ValueError("signature mismatch")
            d = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
            plain = d.update(base64.b64decode(enc)) + d.finalize()
            plain = plain[: -plain[-1]]
            (n,) = struct.unpack(">I", plain[16:20])
            if plain[20 + n:].decode() != receiver_id:
                raise ValueError("receiver id mismatch")
            return plain[20:20 + n]
    else:
        raise SystemExit(f"unknown peer {peer}")

    lines = failed = 0
    start = time.perf_counter()
    with open(cap_path) as f, open(out_path, "w") as out:
        for n, line in enumerate(f, 1):
            lines += 1
            try:
                rec = json.loads(line)
                q = dict(parse_qsl(rec["query"]))
                enc = json.loads(rec["body"])["encrypt"]
                plain = open_(q["msg_signature"], q["timestamp"], q["nonce"], enc)
                if isinstance(plain, bytes):
                    plain = plain.decode()
                event = json.loads(plain).get("EventType")
                out.write(json.dumps({"line": n, "event_type": event, "valid": True, "plaintext": plain}) + "\n")
            except Exception as e:  # a bad line is reported and the run goes on, as cbkit's
                failed += 1
                out.write(json.dumps({"line": n, "valid": False, "errors": [str(e)]}) + "\n")
    loop = time.perf_counter() - start
    print(json.dumps({"peer": peer, "lines": lines, "failed": failed, "loop_seconds": loop}))


def batch_check(cap_path, *outputs):
    """For each output file: how many lines it has, and how many are judged valid with the
    plaintext the capture line holds. Prints {"capture_lines", output_path: {"lines", "correct"}}."""
    want = [json.loads(line)["plaintext"] for line in open(cap_path)]
    res = {"capture_lines": len(want)}
    for path in outputs:
        lines = correct = 0
        for i, out in enumerate(open(path)):
            lines += 1
            o = json.loads(out)
            if i < len(want) and o.get("valid") is True and not o.get("errors") and o.get("plaintext") == want[i]:
                correct += 1
        res[path] = {"lines": lines, "correct": correct}
    print(json.dumps(res))


if len(sys.argv) > 1 and sys.argv[1] == "batch":
    batch(*sys.argv[2:9])
    sys.exit(0)
if len(sys.argv) > 1 and sys.argv[1] == "batch-check":
    batch_check(*sys.argv[2:])
    sys.exit(0)

vectors = json.load(open(sys.argv[1]))
out = {"versions": {}, "results": {}}


def bench(fn):
    """Median of 5 runs of timeit's autorange, in seconds per call."""
    t = timeit.Timer(fn)
    n, _ = t.autorange()
    runs = sorted(t.repeat(repeat=5, number=n))
    return runs[2] / n


def record(peer, key, fn):
    fn()  # must not raise: checks the vector round-trips
    out["results"].setdefault(peer, {})[key] = bench(fn)


# --- the minimal cryptography-based implementation --------------------------------------
try:
    import cryptography
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    out["versions"]["cryptography"] = cryptography.__version__

    def minimal_open(v):
        key = base64.b64decode(v["aes_key"] + "=")
        sig = hashlib.sha1("".join(sorted([v["token"], v["timestamp"], v["nonce"], v["encrypt"]])).encode()).hexdigest()
        assert sig == v["signature"]
        d = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        plain = d.update(base64.b64decode(v["encrypt"])) + d.finalize()
        plain = plain[: -plain[-1]]
        (n,) = struct.unpack(">I", plain[16:20])
        assert plain[20 + n:].decode() == v["receiver_id"]
        return plain[20:20 + n]

    for v in vectors:
        record("minimal-cryptography", f'{v["vendor"]}/decrypt/{v["size"]}', lambda v=v: minimal_open(v))
except ImportError as e:
    out["versions"]["cryptography"] = f"unavailable: {e}"

# --- dingtalk-sdk ---------------------------------------------------------------------------
try:
    import importlib.metadata as md
    from dingtalk.crypto import DingTalkCrypto

    out["versions"]["dingtalk-sdk"] = md.version("dingtalk-sdk")
    for v in (v for v in vectors if v["vendor"] == "dingtalk"):
        c = DingTalkCrypto(v["token"], v["aes_key"], v["receiver_id"])
        got = c.decrypt_encrypt_str(v["signature"], v["timestamp"], v["nonce"], v["encrypt"])
        assert got.encode() if isinstance(got, str) else got == v["plaintext"].encode()
        record("dingtalk-sdk", f'dingtalk/decrypt/{v["size"]}',
               lambda c=c, v=v: c.decrypt_encrypt_str(v["signature"], v["timestamp"], v["nonce"], v["encrypt"]))
        record("dingtalk-sdk", f'dingtalk/encrypt/{v["size"]}',
               lambda c=c, v=v: c.encrypt_message(v["plaintext"], v["nonce"], v["timestamp"]))
except ImportError as e:
    out["versions"]["dingtalk-sdk"] = f"unavailable: {e}"

# --- wechatpy (WeCom) -----------------------------------------------------------------------
try:
    import wechatpy
    from wechatpy.enterprise.crypto import WeChatCrypto

    out["versions"]["wechatpy"] = wechatpy.__version__
    for v in (v for v in vectors if v["vendor"] == "wecom"):
        c = WeChatCrypto(v["token"], v["aes_key"], v["receiver_id"])
        got = c.decrypt_message(v["body"], v["signature"], v["timestamp"], v["nonce"])
        assert got == v["plaintext"], "wechatpy decrypt mismatch"
        record("wechatpy", f'wecom/decrypt/{v["size"]}',
               lambda c=c, v=v: c.decrypt_message(v["body"], v["signature"], v["timestamp"], v["nonce"]))
        record("wechatpy", f'wecom/encrypt/{v["size"]}',
               lambda c=c, v=v: c.encrypt_message(v["plaintext"], v["nonce"], v["timestamp"]))
except ImportError as e:
    out["versions"]["wechatpy"] = f"unavailable: {e}"

json.dump(out, sys.stdout, indent=1)
