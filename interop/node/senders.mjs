// Direction (d): senders built on the libraries → `cbkit listen --record`. Each plaintext goes
// inside an event of the vendor's format; the record line must say verified, hold the exact
// plaintext, and the library must read listen's answer (DingTalk's encrypted `success` map).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIBS } from './libs.mjs';
import { cbkit, eventDoc, OUT, plaintexts, record, SECRETS, secretArgs, show, startListen, tmpFile } from './common.mjs';

const SENDERS = [
  ['@wecom/crypto', 'wecom'],
  ['wechat-crypto', 'wecom'],
  ['wechat-crypto', 'dingtalk'],
  ['dingtalk-encrypt', 'dingtalk'],
];

function lastRecord(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1));
}

async function send(url, lib, vendor, impl, { doc, method = 'POST', sigParam = 'msg_signature' }) {
  const ts = vendor === 'dingtalk' ? String(Date.now()) : String(Math.floor(Date.now() / 1000));
  const nonce = Math.random().toString(36).slice(2, 10);
  const { encrypt, signature } = impl.encrypt(doc, ts, nonce);
  const q = new URLSearchParams({ [sigParam]: signature, timestamp: ts, nonce });
  if (method === 'GET') {
    q.set('echostr', encrypt);
    return fetch(`${url}?${q}`, { signal: AbortSignal.timeout(10_000) });
  }
  const body = vendor === 'dingtalk'
    ? JSON.stringify({ encrypt })
    : `<xml><ToUserName><![CDATA[${SECRETS.wecom.receiverId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>`;
  const type = vendor === 'dingtalk' ? 'application/json' : 'text/xml';
  return fetch(`${url}?${q}`, { method, body, headers: { 'Content-Type': type }, signal: AbortSignal.timeout(10_000) });
}

async function check(url, recFile, lib, vendor, impl, caseName, opts, expected) {
  const base = { lib, dir: 'd', vendor, case: caseName, plaintext: show(expected) };
  let res;
  try {
    res = await send(url, lib, vendor, impl, opts);
  } catch (e) {
    record({ ...base, ok: false, detail: `library sender failed: ${e.constructor?.name} ${e.code ?? ''} ${e.message}` });
    return;
  }
  const answer = await res.text();
  const rec = lastRecord(recFile);
  const verified = rec.verdict?.accepted === true && rec.verdict?.signature === true && rec.verdict?.decrypted === true;
  const same = rec.plaintext === expected;
  // The sender's library reads listen's answer: echostr plaintext (WeCom GET), `success`, or
  // DingTalk's encrypted `success` map.
  let replyOk;
  let replyText = answer;
  if (vendor === 'dingtalk') {
    try {
      const m = JSON.parse(answer);
      replyText = impl.decrypt(m.msg_signature, m.timeStamp, m.nonce, m.encrypt).message;
      replyOk = replyText === 'success';
    } catch (e) {
      replyText = `${answer} (${e.constructor?.name} ${e.code ?? ''} ${e.message})`;
      replyOk = false;
    }
  } else {
    replyOk = opts.method === 'GET' ? answer === expected : answer === 'success';
  }
  const ok = res.status === 200 && verified && same && replyOk;
  const detail = ok ? '' : [
    `listen answered ${res.status}, record verdict ${JSON.stringify(rec.verdict)}`,
    rec.errors?.length ? `errors ${JSON.stringify(rec.errors)}` : '',
    same ? '' : `record plaintext ${show(rec.plaintext)}`,
    replyOk ? '' : `library read the answer as ${show(replyText)}`,
  ].filter(Boolean).join('; ');
  record({ ...base, ok, detail });
}

for (const vendor of ['wecom', 'dingtalk']) {
  const recFile = join(OUT, `listen-${vendor}.jsonl`);
  const { url, child } = await startListen(['--vendor', vendor, ...secretArgs(vendor), '--record', recFile, '--json', '--idle-timeout', '60s']);
  child.stdout.resume();
  child.stderr.resume();
  try {
    for (const [lib, v] of SENDERS.filter(([, v]) => v === vendor)) {
      const impl = LIBS[lib](SECRETS[v]);
      if (vendor === 'wecom') {
        await check(url, recFile, lib, v, impl, 'echostr GET', { doc: '1616140317555161061', method: 'GET' }, '1616140317555161061');
      }
      if (vendor === 'dingtalk') {
        // DingTalk's "verify callback" page names the query parameter `signature`.
        const doc = JSON.stringify({ EventType: 'check_url' });
        await check(url, recFile, lib, v, impl, 'check_url with ?signature=', { doc, sigParam: 'signature' }, doc);
      }
      for (const p of plaintexts()) {
        const ev = eventDoc(v, p.name, p.text);
        if (ev.na) {
          record({ lib, dir: 'd', vendor: v, case: p.name, ok: false, na: true, detail: ev.na });
          continue;
        }
        await check(url, recFile, lib, v, impl, p.name, { doc: ev.doc }, ev.doc);
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}

// Feishu's URL check as it was captured (lark-oapi Python SDK issue 79, openclaw issue 58905): an
// encrypted url_verification with no X-Lark-* headers. Both lark SDKs answer it before any
// signature check (FINDINGS.md b); the check is whether `cbkit listen` accepts it too.
{
  const recFile = join(OUT, 'listen-feishu.jsonl');
  const { url, child } = await startListen(['--vendor', 'feishu', ...secretArgs('feishu'), '--record', recFile, '--json', '--idle-timeout', '60s']);
  child.stdout.resume();
  child.stderr.resume();
  try {
    const challenge = `interop-${Date.now()}`;
    const plain = JSON.stringify({ challenge, token: SECRETS.feishu.token, type: 'url_verification' });
    const body = cbkit(['encrypt', 'feishu', ...secretArgs('feishu'), '--body', tmpFile(plain), '--json']).json.body;
    const res = await fetch(`${url}/`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json;charset=utf-8', 'User-Agent': 'Go-http-client/1.1', 'X-Request-Id': `interop-${Date.now()}` },
      signal: AbortSignal.timeout(10_000),
    });
    const answer = await res.text();
    const rec = lastRecord(recFile);
    let answered = false;
    try { answered = JSON.parse(answer).challenge === challenge; } catch { /* not JSON */ }
    const ok = res.status === 200 && answered && rec.verdict?.accepted === true;
    record({ lib: 'Feishu challenge as captured (no X-Lark-*)', vendorShape: true, dir: 'd', vendor: 'feishu', case: 'url_verification, encrypted, no X-Lark-* headers',
      ok, plaintext: show(plain),
      detail: ok ? '' : `listen answered ${res.status} ${show(answer)}; record verdict ${JSON.stringify(rec.verdict)}; errors ${JSON.stringify(rec.errors)}` });
  } finally {
    child.kill('SIGTERM');
  }
}
