#!/usr/bin/env python3
"""Python peer libraries on the same vectors as the criterion benches (issue #9, part 1).

Reads the vectors `cargo run --example benchkit -- vectors` writes (DingTalk and WeCom envelopes
built by cbkit's own Vendor::seal with the bundled demo secrets) and times, per vector,
verify + decrypt (and encrypt) in:
  - dingtalk-sdk  (dingtalk.crypto.DingTalkCrypto; uses `cryptography` when installed)
  - wechatpy      (wechatpy.enterprise.crypto.WeChatCrypto, WeCom)
  - a hand-written minimal version on `cryptography` + hashlib (the fastest Python can be)
Prints one JSON document: {peer: {"vendor/op/size": seconds_per_op}, "versions": {...}}.
"""
import base64, hashlib, json, struct, sys, timeit

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
