"""Directions (a) cbkit encrypts → library decrypts and (b) library encrypts → cbkit decodes,
for wechatpy (WeCom), dingtalk-sdk (DingTalk) and lark-oapi (Feishu; it only decrypts)."""
import json
import random
import string
import time

from common import SECRETS, cbkit, plaintexts, record, secret_args, show, tmp_file
from dingtalk.crypto import DingTalkCrypto
from lark_oapi.core.utils import AESCipher
from wechatpy.enterprise.crypto import WeChatCrypto


def wechatpy_lib():
    s = SECRETS["wecom"]
    c = WeChatCrypto(s["token"], s["aes_key"], s["receiver_id"])

    def encrypt(text, ts, nonce):
        xml = c.encrypt_message(text, nonce, ts)
        enc = xml.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
        sig = xml.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
        return enc, sig

    def decrypt(sig, ts, nonce, enc):
        return c.decrypt_message({"Encrypt": enc}, sig, ts, nonce)

    return encrypt, decrypt


def dingtalk_sdk_lib():
    s = SECRETS["dingtalk"]
    c = DingTalkCrypto(s["token"], s["aes_key"], s["receiver_id"])

    def encrypt(text, ts, nonce):
        m = c.encrypt_message(text, nonce, ts)
        return m["encrypt"], m["msg_signature"]

    def decrypt(sig, ts, nonce, enc):
        return c.decrypt_encrypt_str(sig, ts, nonce, enc)

    return encrypt, decrypt


def run_envelope(lib, vendor, make):
    encrypt, decrypt = make()
    rid = SECRETS[vendor]["receiver_id"]
    for name, text in plaintexts():
        base = dict(lib=lib, vendor=vendor, case=name, plaintext=show(text))
        rc, doc, _, err = cbkit(["encrypt", vendor, *secret_args(vendor), "--body", tmp_file(text), "--json"])
        if doc is None:
            record(**base, dir="a", ok=False, detail=f"cbkit encrypt failed: {err.strip()}")
        else:
            try:
                got = decrypt(doc["signature"], doc["timestamp"], doc["nonce"], doc["encrypt"])
                ok = got == text
                record(**base, dir="a", ok=ok, got=show(got), detail="" if ok else f"library decrypted {show(got)}")
            except Exception as e:  # the library's own exception is the finding
                record(**base, dir="a", ok=False, got=repr(e), detail=f"library raised {e!r}")
        ts = str(int(time.time() * 1000)) if vendor == "dingtalk" else str(int(time.time()))
        nonce = "".join(random.choices(string.ascii_letters, k=8))
        try:
            enc, sig = encrypt(text, ts, nonce)
        except Exception as e:
            record(**base, dir="b", ok=False, detail=f"library could not encrypt: {e!r}")
            continue
        inputs = ["--encrypt", enc, "--signature", sig, "--timestamp", ts, "--nonce", nonce, "--json"]
        rc, doc, _, err = cbkit(["decode", vendor, *secret_args(vendor), *inputs])
        vrc, vdoc, _, _ = cbkit(["verify", vendor, *secret_args(vendor), *inputs])
        doc = doc or {}
        verified = vrc == 0 and (vdoc or {}).get("valid") is True
        ok = (rc == 0 and doc.get("valid") is True and doc.get("plaintext") == text
              and doc.get("receiver_id") == rid and verified)
        record(**base, dir="b", ok=ok, got=show(doc.get("plaintext")),
               detail="" if ok else (f"cbkit decode exit {rc}: valid={doc.get('valid')} plaintext={show(doc.get('plaintext'))} "
                                     f"{err.strip()[:200]}; cbkit verify exit {vrc} valid={(vdoc or {}).get('valid')}"))


def run_lark():
    key = SECRETS["feishu"]["aes_key"]
    for name, text in plaintexts():
        base = dict(lib="lark-oapi", vendor="feishu", case=name, plaintext=show(text))
        rc, doc, _, err = cbkit(["encrypt", "feishu", *secret_args("feishu"), "--body", tmp_file(text), "--json"])
        if doc is None:
            record(**base, dir="a", ok=False, detail=f"cbkit encrypt failed: {err.strip()}")
            continue
        try:
            got = AESCipher(key).decrypt_str(doc["encrypt"])
            ok = got == text
            record(**base, dir="a", ok=ok, got=show(got), detail="" if ok else f"library decrypted {show(got)}")
        except Exception as e:
            record(**base, dir="a", ok=False, got=repr(e), detail=f"library raised {e!r}")
    record(lib="lark-oapi", dir="b", vendor="feishu", case="-", ok=False, na=True,
           detail="lark-oapi has no event encryptor (only AESCipher.decrypt in lark_oapi/core/utils/decryptor.py)")
    record(lib="lark-oapi", dir="d", vendor="feishu", case="-", ok=False, na=True,
           detail="lark-oapi receives events and has no event sender (only Feishu sends them)")



def run_replies():
    """The receiver's encrypted answer (WeCom passive reply XML, DingTalk's `success` map), both ways:
    cbkit encrypt --reply → library decrypts; library encrypts → cbkit decode/verify --body."""
    for lib, vendor, make, sig_key, ts_key in [("wechatpy", "wecom", wechatpy_lib, "msg_signature", "timestamp"),
                                               ("dingtalk-sdk", "dingtalk", dingtalk_sdk_lib, "msg_signature", "timeStamp")]:
        encrypt, decrypt = make()
        for name, text in plaintexts():
            base = dict(lib=lib, vendor=vendor, case=f"reply: {name}", plaintext=show(text))
            rc, doc, _, err = cbkit(["encrypt", vendor, *secret_args(vendor), "--reply", "--body", tmp_file(text), "--json"])
            if doc is None:
                record(**base, dir="a", ok=False, detail=f"cbkit encrypt --reply failed: {err.strip()}")
            else:
                try:
                    got = decrypt(doc[sig_key], doc[ts_key], doc["nonce"], doc["encrypt"])
                    ok = got == text
                    record(**base, dir="a", ok=ok, got=show(got), detail="" if ok else f"library decrypted {show(got)}")
                except Exception as e:
                    record(**base, dir="a", ok=False, got=repr(e), detail=f"library raised {e!r}")
            # The library's own reply envelope, as the receiver would send it back.
            ts = str(int(time.time() * 1000)) if vendor == "dingtalk" else str(int(time.time()))
            nonce = "".join(random.choices(string.ascii_letters, k=8))
            if vendor == "wecom":
                body = WeChatCrypto(SECRETS["wecom"]["token"], SECRETS["wecom"]["aes_key"],
                                    SECRETS["wecom"]["receiver_id"]).encrypt_message(text, nonce, ts)
            else:
                ds = SECRETS["dingtalk"]
                body = json.dumps(DingTalkCrypto(ds["token"], ds["aes_key"], ds["receiver_id"]).encrypt_message(text, nonce, ts))
            path = tmp_file(body)
            rc, doc, _, err = cbkit(["decode", vendor, *secret_args(vendor), "--body", path, "--json"])
            vrc, vdoc, _, verr = cbkit(["verify", vendor, *secret_args(vendor), "--body", path, "--json"])
            doc = doc or {}
            verified = vrc == 0 and (vdoc or {}).get("valid") is True
            ok = rc == 0 and doc.get("plaintext") == text and doc.get("valid") is True and verified
            record(**base, dir="b", ok=ok, got=show(doc.get("plaintext")), reply=True,
                   detail="" if ok else (f"cbkit decode --body exit {rc}: valid={doc.get('valid')} plaintext={show(doc.get('plaintext'))}; "
                                         f"cbkit verify --body exit {vrc}: valid={(vdoc or {}).get('valid')} {verr.strip()[:160]}"))


if __name__ == "__main__":
    run_envelope("wechatpy", "wecom", wechatpy_lib)
    run_envelope("dingtalk-sdk", "dingtalk", dingtalk_sdk_lib)
    run_lark()
    run_replies()
