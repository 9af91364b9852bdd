"""Direction (d): senders built on wechatpy (WeCom) and dingtalk-sdk (DingTalk) → `cbkit listen
--record`. The record must say verified and hold the exact plaintext; the library must read
listen's answer (DingTalk's encrypted `success` map)."""
import json
import os
import random
import string
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from common import CBKIT, OUT, SECRETS, event_doc, plaintexts, record, secret_args, show
from crypto import dingtalk_sdk_lib, wechatpy_lib


def start_listen(vendor, rec_file):
    p = subprocess.Popen([CBKIT, "listen", "--host", "127.0.0.1", "--port", "0", "--vendor", vendor,
                          *secret_args(vendor), "--record", rec_file, "--json", "--idle-timeout", "60s"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()  # "listening on http://127.0.0.1:PORT" comes first, always
    if not line.startswith("listening on "):
        p.kill()
        raise RuntimeError(f"cbkit listen did not start: {line!r}")
    # Keep reading its stdout so a full pipe never blocks it.
    threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
    return p, line.split()[-1]


def post(url, query, body, ctype, method="POST"):
    req = urllib.request.Request(f"{url}?{urllib.parse.urlencode(query)}", data=body, method=method,
                                 headers={"Content-Type": ctype} if body is not None else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def last_record(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(f.read().strip().splitlines()[-1])


def check(lib, vendor, url, rec_file, encrypt, decrypt, case, doc, method="POST", sig_param="msg_signature"):
    ts = str(int(time.time() * 1000)) if vendor == "dingtalk" else str(int(time.time()))
    nonce = "".join(random.choices(string.ascii_letters, k=8))
    enc, sig = encrypt(doc, ts, nonce)
    query = {sig_param: sig, "timestamp": ts, "nonce": nonce}
    if method == "GET":
        query["echostr"] = enc
        status, answer = post(url, query, None, None, "GET")
    elif vendor == "dingtalk":
        status, answer = post(url, query, json.dumps({"encrypt": enc}).encode(), "application/json")
    else:
        rid = SECRETS["wecom"]["receiver_id"]
        xml = f"<xml><ToUserName><![CDATA[{rid}]]></ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>"
        status, answer = post(url, query, xml.encode(), "text/xml")
    rec = last_record(rec_file)
    v = rec.get("verdict") or {}
    verified = v.get("accepted") is True and v.get("signature") is True and v.get("decrypted") is True
    same = rec.get("plaintext") == doc
    reply = answer
    if vendor == "dingtalk":
        try:
            m = json.loads(answer)
            reply = decrypt(m["msg_signature"], m["timeStamp"], m["nonce"], m["encrypt"])
        except Exception as e:
            reply = f"{answer} ({e!r})"
        reply_ok = reply == "success"
    else:
        reply_ok = answer == (doc if method == "GET" else "success")
    ok = status == 200 and verified and same and reply_ok
    detail = "" if ok else "; ".join(filter(None, [
        f"listen answered {status}, record verdict {json.dumps(v)}",
        f"errors {json.dumps(rec.get('errors'), ensure_ascii=False)}" if rec.get("errors") else "",
        "" if same else f"record plaintext {show(rec.get('plaintext'))}",
        "" if reply_ok else f"library read the answer as {show(reply)}",
    ]))
    record(lib=lib, dir="d", vendor=vendor, case=case, ok=ok, detail=detail, plaintext=show(doc))


def main():
    for lib, vendor, make in [("wechatpy", "wecom", wechatpy_lib), ("dingtalk-sdk", "dingtalk", dingtalk_sdk_lib)]:
        encrypt, decrypt = make()
        rec_file = os.path.join(OUT, f"listen-py-{vendor}.jsonl")
        proc, url = start_listen(vendor, rec_file)
        try:
            if vendor == "wecom":
                check(lib, vendor, url, rec_file, encrypt, decrypt, "echostr GET", "1616140317555161061", method="GET")
            else:
                check(lib, vendor, url, rec_file, encrypt, decrypt, "check_url with ?signature=",
                      '{"EventType":"check_url"}', sig_param="signature")
            for name, text in plaintexts():
                doc, na = event_doc(vendor, name, text)
                if na:
                    record(lib=lib, dir="d", vendor=vendor, case=name, ok=False, na=True, detail=na)
                    continue
                check(lib, vendor, url, rec_file, encrypt, decrypt, name, doc)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
