// Direction (c): `cbkit replay` → receivers built on the libraries' own request handling:
// an Express route on @wecom/crypto (GET echostr, POST XML), a node:http DingTalk receiver on
// dingtalk-encrypt (one reading `msg_signature`, one reading only `signature` as DingTalk's
// "verify callback" page names it), and lark's EventDispatcher behind adaptDefault (node:http)
// and adaptExpress. Every bundled fixture of the vendor, then every plaintext inside an event.
import http from 'node:http';
import { createRequire } from 'node:module';
import express from 'express';
import { cbkitAsync, eventDoc, fixtures, plaintexts, record, secretArgs, SECRETS, show, tmpFile } from './common.mjs';

const require = createRequire(import.meta.url);
const wecomCrypto = require('@wecom/crypto');
const DingTalkEncryptor = require('dingtalk-encrypt');
const DingUtils = require('dingtalk-encrypt/Utils');
const lark = require('@larksuiteoapi/node-sdk');

// What the receiver under test saw for the current request (requests are sent one at a time).
let seen = {};

// Keeps the answer the library's handler wrote, for the report.
function instrument(handler) {
  return (req, res) => {
    const end = res.end.bind(res);
    res.end = (chunk, ...rest) => {
      seen.status = res.statusCode;
      seen.contentType = res.getHeader('content-type') ?? '(none)';
      seen.answer = chunk === undefined ? '' : String(chunk);
      return end(chunk, ...rest);
    };
    handler(req, res);
  };
}

// ---- WeCom: Express + @wecom/crypto ---------------------------------------------------------
function wecomApp() {
  const { token, aesKey, receiverId } = SECRETS.wecom;
  const app = express();
  app.get('/wecom', (req, res) => {
    const { msg_signature: sig, timestamp, nonce, echostr } = req.query;
    if (wecomCrypto.getSignature(token, timestamp, nonce, echostr) !== sig) {
      seen.error = 'signature mismatch';
      return res.status(401).send('bad signature');
    }
    const { message, id } = wecomCrypto.decrypt(aesKey, echostr);
    if (id !== receiverId) { seen.error = `receiver id ${id}`; return res.status(403).send('bad id'); }
    seen.libOk = true;
    seen.plaintext = message;
    return res.send(message);
  });
  app.post('/wecom', express.text({ type: () => true }), (req, res) => {
    const { msg_signature: sig, timestamp, nonce } = req.query;
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/s.exec(req.body || '')?.[1];
    if (!encrypt || wecomCrypto.getSignature(token, timestamp, nonce, encrypt) !== sig) {
      seen.error = 'signature mismatch or no Encrypt';
      return res.status(401).send('bad signature');
    }
    const { message, id } = wecomCrypto.decrypt(aesKey, encrypt);
    if (id !== receiverId) { seen.error = `receiver id ${id}`; return res.status(403).send('bad id'); }
    seen.libOk = true;
    seen.plaintext = message;
    return res.send('success');
  });
  return app;
}

// ---- DingTalk: node:http + dingtalk-encrypt --------------------------------------------------
// The create-suite key placeholder for the first URL check, as DingTalk's page says
// (shared/seeds/002: "在第一次接受『验证回调URL有效性事件的时候』传入Env.CREATE_SUITE_KEY").
const CREATE_SUITE_KEY = 'suite4xxxxxxxxxxxxxxx';
function dingtalkHandler(signatureParam) {
  const { token, aesKey, receiverId } = SECRETS.dingtalk;
  return (req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const q = new URL(req.url, 'http://x').searchParams;
      const sig = q.get(signatureParam);
      const timestamp = q.get('timestamp');
      const nonce = q.get('nonce');
      let encryptor = new DingTalkEncryptor(token, aesKey, receiverId);
      try {
        const { encrypt } = JSON.parse(body);
        let plain;
        try {
          plain = encryptor.getDecryptMsg(sig, timestamp, nonce, encrypt);
        } catch (e) {
          if (e.code !== 900010) throw e; // only a receiver-id mismatch gets the placeholder retry
          encryptor = new DingTalkEncryptor(token, aesKey, CREATE_SUITE_KEY);
          plain = encryptor.getDecryptMsg(sig, timestamp, nonce, encrypt);
        }
        seen.libOk = true;
        seen.plaintext = plain;
        const reply = encryptor.getEncryptedMap('success', timestamp, DingUtils.getRandomStr(8));
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(reply));
      } catch (e) {
        seen.error = [e.constructor?.name, e.code, e.message].filter(Boolean).join(' ');
        res.statusCode = 500;
        res.end(JSON.stringify({ error: seen.error }));
      }
    });
  };
}

// ---- Feishu: lark EventDispatcher ------------------------------------------------------------
function dispatcher() {
  const handle = (data) => { seen.libOk = true; seen.plaintext = data.text; return undefined; };
  const d = new lark.EventDispatcher({
    encryptKey: SECRETS.feishu.aesKey,
    verificationToken: SECRETS.feishu.token,
    loggerLevel: lark.LoggerLevel.error,
  });
  return d.register({
    'interop.text': handle,
    'im.message.receive_v1': handle,
    'contact.user.created_v3': handle,
    'application.bot.menu_v6': handle,
    approval_instance: handle,
  });
}

function larkExpress() {
  const app = express();
  app.use(express.json()); // as the SDK's README sets up adaptExpress
  app.post('/feishu', lark.adaptExpress(dispatcher(), { autoChallenge: true }));
  return app;
}

const RECEIVERS = [
  { name: 'Express + @wecom/crypto', lib: '@wecom/crypto', vendor: 'wecom', path: '/wecom', handler: wecomApp() },
  { name: 'node:http + dingtalk-encrypt (msg_signature)', lib: 'dingtalk-encrypt', vendor: 'dingtalk', path: '/dingtalk', handler: dingtalkHandler('msg_signature') },
  { name: 'node:http + dingtalk-encrypt (signature, as the seed page names it)', lib: 'dingtalk-encrypt', vendor: 'dingtalk', path: '/dingtalk', handler: dingtalkHandler('signature') },
  { name: 'lark adaptDefault (node:http)', lib: '@larksuiteoapi/node-sdk', vendor: 'feishu', path: '/feishu', handler: lark.adaptDefault('/feishu', dispatcher(), { autoChallenge: true }) },
  { name: 'lark adaptExpress', lib: '@larksuiteoapi/node-sdk', vendor: 'feishu', path: '/feishu', handler: larkExpress() },
];

async function listen(handler) {
  const server = http.createServer(instrument(handler));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function deliver(rcv, url, target, caseName, extra, expected) {
  seen = {};
  const r = await cbkitAsync(['replay', target, '--url', url, ...secretArgs(rcv.vendor), '--no-retry', '--json', ...extra]);
  const d = r.json?.deliveries?.[0];
  const att = d?.attempts?.at(-1) || {};
  const cbkitOk = d?.accepted === true;
  // A URL check counts as handled by the library when it answered it (the challenge/echostr).
  const libOk = seen.libOk === true || (/url_verification/.test(target) && seen.status === 200 && /challenge/.test(seen.answer || ''));
  const plainOk = expected === undefined || seen.plaintext === expected;
  const ok = cbkitOk && libOk && plainOk;
  const detail = ok ? '' : [
    `cbkit replay: ${d ? (cbkitOk ? 'accepted' : 'rejected') : 'no delivery'} (${att.status ?? '-'} ${att.reason ?? r.stderr.trim().split('\n')[0]})`,
    `library: ${libOk ? 'verified and decrypted' : 'did not accept'}${seen.error ? ` — ${seen.error}` : ''}`,
    `answered ${seen.status ?? '-'} Content-Type ${seen.contentType ?? '-'} body ${show(seen.answer)}`,
    plainOk ? '' : `plaintext seen by the library ${show(seen.plaintext)}`,
  ].filter(Boolean).join('; ');
  record({ lib: rcv.lib, receiver: rcv.name, dir: 'c', vendor: rcv.vendor, case: caseName,
    ok, detail, plaintext: expected === undefined ? undefined : show(expected), cbkit_reason: att.reason, answer_content_type: seen.contentType });
}

for (const rcv of RECEIVERS) {
  const server = await listen(rcv.handler);
  const url = `http://127.0.0.1:${server.address().port}${rcv.path}`;
  for (const f of fixtures(rcv.vendor)) await deliver(rcv, url, f, f, [], undefined);
  // Every plaintext inside an event; the fixture only gives the envelope.
  const carrier = { dingtalk: 'dingtalk/user_add_org', wecom: 'wecom/text-message', feishu: 'feishu/im.message.receive_v1' }[rcv.vendor];
  for (const p of plaintexts()) {
    const ev = eventDoc(rcv.vendor, p.name, p.text);
    if (ev.na) {
      record({ lib: rcv.lib, receiver: rcv.name, dir: 'c', vendor: rcv.vendor, case: `${carrier} + ${p.name}`, ok: false, na: true, detail: ev.na });
      continue;
    }
    // Feishu's handler sees the event's `text` field; the others are compared on the whole plaintext.
    const expected = rcv.vendor === 'feishu' ? p.text : ev.doc;
    await deliver(rcv, url, carrier, `${carrier} + ${p.name}`, ['--body', tmpFile(ev.doc)], expected);
  }
  server.closeAllConnections?.();
  await new Promise((r) => server.close(r));
}
