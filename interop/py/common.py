"""Shared by the Python drivers: plaintexts, secrets, running cbkit, recording results.

Mirrors node/common.mjs: one JSON line per check in $INTEROP_OUT/results.jsonl.
"""
import json
import os
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("INTEROP_OUT", os.path.join(HERE, "..", "out"))
CBKIT = os.environ.get("CBKIT", "cbkit")
TMP = tempfile.mkdtemp(prefix="cbkit-interop-py-")

# The vendors' published example secrets (the same as node/common.mjs).
SECRETS = {
    "dingtalk": {"token": "mryue", "aes_key": "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
                 "receiver_id": "ding6ccabc44d2c8d38b"},
    "wecom": {"token": "QDG6eK", "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
              "receiver_id": "wx5823bf96d3bd56c7"},
    "feishu": {"token": "interop-verification-token", "aes_key": "interop encrypt key"},
}


def plaintexts():
    with open(os.path.join(HERE, "..", "plaintexts.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return [(p["name"], p["text"] * p.get("repeat", 1)) for p in doc["plaintexts"]]


def secret_args(vendor):
    s = SECRETS[vendor]
    args = ["--token", s["token"], "--aes-key", s["aes_key"]]
    if "receiver_id" in s:
        args += ["--receiver-id", s["receiver_id"]]
    return args


_count = [0]


def tmp_file(text):
    _count[0] += 1
    path = os.path.join(TMP, f"f{_count[0]}")
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))
    return path


def cbkit(args, timeout=60):
    r = subprocess.run([CBKIT, *args], capture_output=True, timeout=timeout)
    out, err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    return r.returncode, doc, out, err


def show(s):
    if s is None:
        return "None"
    j = json.dumps(str(s), ensure_ascii=False)
    n = len(str(s).encode("utf-8"))
    return j if len(j) <= 120 else f"{j[:100]}… ({n} bytes)"


def record(**r):
    with open(os.path.join(OUT, "results.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
    mark = "ok " if r.get("ok") else ("n/a" if r.get("na") else "DIS")
    tail = "" if r.get("ok") else " — " + str(r.get("detail", ""))
    print(f"{mark} {r['lib']} {r['dir']} {r['vendor']} {r['case']}{tail}", flush=True)


def event_doc(vendor, name, text):
    """A plaintext inside an event of the vendor's format (as node/common.mjs eventDoc).

    Returns (doc, None) or (None, why the format cannot carry it)."""
    if vendor == "dingtalk":
        return json.dumps({"EventType": "interop_text", "CorpId": SECRETS["dingtalk"]["receiver_id"],
                           "Case": name, "Text": text}, ensure_ascii=False, separators=(",", ":")), None
    if vendor == "feishu":
        now = str(int(time.time() * 1000))
        return json.dumps({"schema": "2.0",
                           "header": {"event_id": f"interop-py-{name}-{now}", "event_type": "interop.text",
                                      "create_time": now, "token": SECRETS["feishu"]["token"],
                                      "app_id": "cli_interop", "tenant_key": "interop"},
                           "event": {"case": name, "text": text}}, ensure_ascii=False, separators=(",", ":")), None
    if "\0" in text:
        return None, "WeCom plaintexts are XML, and XML 1.0 cannot carry U+0000 (the Char production, XML 1.0 §2.2)"
    rid = SECRETS["wecom"]["receiver_id"]
    return (f"<xml><ToUserName><![CDATA[{rid}]]></ToUserName><FromUserName><![CDATA[interop]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{time.time_ns()}</MsgId><AgentID>1</AgentID></xml>"), None


def fixtures(vendor):
    _, _, out, _ = cbkit(["fixtures", "list"])
    return [line.split()[0] for line in out.splitlines() if line.startswith(vendor + "/")]
