"""Direction (c): `cbkit replay` → receivers under Flask: lark-oapi's EventDispatcherHandler (its
own Flask adapter, lark_oapi/adapter/flask), a DingTalk route on dingtalk-sdk's DingTalkCrypto and
a WeCom route (GET echostr, POST XML) on wechatpy's enterprise WeChatCrypto.
Every bundled fixture of the vendor, then every plaintext inside an event."""
import json
import logging
import threading

import lark_oapi as lark
from dingtalk.crypto import DingTalkCrypto
from dingtalk.core.exceptions import InvalidCorpIdOrSuiteKeyException
from flask import Flask, request
from lark_oapi.adapter.flask import parse_req, parse_resp
from wechatpy.enterprise.crypto import WeChatCrypto
from werkzeug.serving import make_server

from common import SECRETS, cbkit, event_doc, fixtures, plaintexts, record, secret_args, show, tmp_file

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here
seen = {}
app = Flask("interop")


def on_event(data):
    seen["lib_ok"] = True
    event = getattr(data, "event", None)
    seen["plaintext"] = event.get("text") if isinstance(event, dict) else None


fs = SECRETS["feishu"]
lark_handler = (lark.EventDispatcherHandler.builder(fs["aes_key"], fs["token"], lark.LogLevel.CRITICAL)
                .register_p2_customized_event("interop.text", on_event)
                .register_p2_im_message_receive_v1(on_event)
                .register_p2_contact_user_created_v3(on_event)
                .register_p2_application_bot_menu_v6(on_event)
                .register_p1_customized_event("approval_instance", on_event)
                .build())


@app.post("/feishu")
def feishu():
    resp = parse_resp(lark_handler.do(parse_req()))
    seen.update(status=resp.status_code, content_type=resp.headers.get("Content-Type"), answer=resp.get_data(as_text=True))
    return resp


# DingTalk's "verify callback" page: the first check uses the create-suite key placeholder and
# handles the exception (shared/seeds/002).
CREATE_SUITE_KEY = "suite4xxxxxxxxxxxxxxx"


@app.post("/dingtalk")
def dingtalk():
    ds = SECRETS["dingtalk"]
    q = request.args
    sig = q.get("msg_signature") or q.get("signature")
    crypto = DingTalkCrypto(ds["token"], ds["aes_key"], ds["receiver_id"])
    try:
        enc = json.loads(request.data)["encrypt"]
        try:
            plain = crypto.decrypt_encrypt_str(sig, q.get("timestamp"), q.get("nonce"), enc)
        except InvalidCorpIdOrSuiteKeyException:
            crypto = DingTalkCrypto(ds["token"], ds["aes_key"], CREATE_SUITE_KEY)
            plain = crypto.decrypt_encrypt_str(sig, q.get("timestamp"), q.get("nonce"), enc)
    except Exception as e:
        seen["error"] = repr(e)
        seen.update(status=500, content_type="text/plain", answer=repr(e))
        return repr(e), 500
    seen.update(lib_ok=True, plaintext=plain)
    body = json.dumps(crypto.encrypt_message("success", timestamp=q.get("timestamp")))
    seen.update(status=200, content_type="application/json", answer=body)
    return body, 200, {"Content-Type": "application/json"}


@app.route("/wecom", methods=["GET", "POST"])
def wecom():
    ws = SECRETS["wecom"]
    q = request.args
    crypto = WeChatCrypto(ws["token"], ws["aes_key"], ws["receiver_id"])
    try:
        if request.method == "GET":
            plain = crypto.check_signature(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), q.get("echostr"))
            answer = plain
        else:
            plain = crypto.decrypt_message(request.data, q.get("msg_signature"), q.get("timestamp"), q.get("nonce"))
            answer = "success"
    except Exception as e:
        seen["error"] = repr(e)
        seen.update(status=403, content_type="text/plain", answer=repr(e))
        return repr(e), 403
    seen.update(lib_ok=True, plaintext=plain, status=200, content_type="text/plain", answer=answer)
    return answer, 200, {"Content-Type": "text/plain"}


RECEIVERS = [
    ("lark-oapi", "Flask + lark-oapi EventDispatcherHandler", "feishu", "/feishu", "feishu/im.message.receive_v1"),
    ("dingtalk-sdk", "Flask + dingtalk-sdk DingTalkCrypto", "dingtalk", "/dingtalk", "dingtalk/user_add_org"),
    ("wechatpy", "Flask + wechatpy WeChatCrypto (enterprise)", "wecom", "/wecom", "wecom/text-message"),
]


def deliver(lib, name, vendor, url, target, body_file, case, expected):
    seen.clear()
    extra = ["--body", body_file] if body_file else []
    rc, doc, _, err = cbkit(["replay", target, "--url", url, *secret_args(vendor), "--no-retry", "--json", *extra])
    d = (doc or {}).get("deliveries", [{}])[0]
    att = (d.get("attempts") or [{}])[-1]
    cbkit_ok = d.get("accepted") is True
    lib_ok = seen.get("lib_ok") is True or ("url_verification" in target and seen.get("status") == 200
                                            and "challenge" in seen.get("answer", ""))
    plain_ok = expected is None or seen.get("plaintext") == expected
    ok = cbkit_ok and lib_ok and plain_ok
    detail = "" if ok else "; ".join(filter(None, [
        f"cbkit replay: {'accepted' if cbkit_ok else 'rejected'} ({att.get('status')} {att.get('reason') or err.strip()[:200]})",
        f"library: {'verified and decrypted' if lib_ok else 'did not accept'} {seen.get('error', '')}".strip(),
        f"answered {seen.get('status')} Content-Type {seen.get('content_type')} body {show(seen.get('answer'))}",
        "" if plain_ok else f"plaintext seen by the library {show(seen.get('plaintext'))}",
    ]))
    record(lib=lib, receiver=name, dir="c", vendor=vendor, case=case, ok=ok, detail=detail,
           plaintext=None if expected is None else show(expected), cbkit_reason=att.get("reason"),
           answer_content_type=seen.get("content_type"))


def main():
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for lib, name, vendor, path, carrier in RECEIVERS:
            url = base + path
            for f in fixtures(vendor):
                deliver(lib, name, vendor, url, f, None, f, None)
            for pname, text in plaintexts():
                doc, na = event_doc(vendor, pname, text)
                if na:
                    record(lib=lib, receiver=name, dir="c", vendor=vendor, case=f"{carrier} + {pname}", ok=False, na=True, detail=na)
                    continue
                expected = text if vendor == "feishu" else doc
                deliver(lib, name, vendor, url, carrier, tmp_file(doc), f"{carrier} + {pname}", expected)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
