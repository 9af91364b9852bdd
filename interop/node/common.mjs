// Shared by the Node drivers: the plaintexts, the secrets, running cbkit, and recording one
// result line per check into $INTEROP_OUT/results.jsonl (report.mjs turns them into RESULTS.md).
import { spawnSync, spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const OUT = process.env.INTEROP_OUT || join(HERE, '..', 'out');
export const CBKIT = process.env.CBKIT || 'cbkit';
const TMP = mkdtempSync(join(tmpdir(), 'cbkit-interop-'));

// The vendors' published example secrets (the same ones cbkit's demo uses).
export const SECRETS = {
  dingtalk: { token: 'mryue', aesKey: 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7', receiverId: 'ding6ccabc44d2c8d38b' },
  wecom: { token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiverId: 'wx5823bf96d3bd56c7' },
  feishu: { token: 'interop-verification-token', aesKey: 'interop encrypt key' },
};

export function plaintexts() {
  const doc = JSON.parse(readFileSync(join(HERE, '..', 'plaintexts.json'), 'utf8'));
  return doc.plaintexts.map((p) => ({ name: p.name, text: p.text.repeat(p.repeat || 1) }));
}

export function secretArgs(vendor) {
  const s = SECRETS[vendor];
  const args = ['--token', s.token, '--aes-key', s.aesKey];
  if (s.receiverId) args.push('--receiver-id', s.receiverId);
  return args;
}

let fileCount = 0;
export function tmpFile(content) {
  const path = join(TMP, `f${fileCount++}`);
  writeFileSync(path, content);
  return path;
}

export function cbkit(args) {
  const r = spawnSync(CBKIT, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  let json = null;
  try { json = JSON.parse(r.stdout); } catch { /* not JSON: kept in stdout */ }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

// `cbkit listen` in the background on a free loopback port; resolves once its ready line is read.
export function startListen(args) {
  const child = spawn(CBKIT, ['listen', '--host', '127.0.0.1', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('cbkit listen did not start')), 20_000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ url: m[1], child }); }
    });
    child.on('exit', (code) => reject(new Error(`cbkit listen exited ${code}`)));
  });
}

// One check: which library, which direction (a: cbkit→lib, b: lib→cbkit, c: replay→lib receiver,
// d: lib sender→listen), vendor, case (plaintext or fixture), agreed or not, and the inputs.
export function record(r) {
  appendFileSync(join(OUT, 'results.jsonl'), JSON.stringify(r) + '\n');
  const mark = r.ok ? 'ok ' : r.na ? 'n/a' : 'DIS';
  console.error(`${mark} ${r.lib} ${r.dir} ${r.vendor} ${r.case}${r.ok ? '' : ' — ' + (r.detail || '')}`);
}

// A short, printable view of a string for the report (escapes control characters, cuts long ones).
export function show(s) {
  if (s === undefined || s === null) return String(s);
  const j = JSON.stringify(String(s));
  return j.length > 120 ? `${j.slice(0, 100)}… (${Buffer.byteLength(String(s))} bytes)` : j;
}

// A plaintext carried inside an event of the vendor's own format (directions c and d): DingTalk
// and Feishu events are JSON (any string fits, escaped), WeCom's are XML, which cannot hold U+0000.
export function eventDoc(vendor, name, text) {
  if (vendor === 'dingtalk') return { doc: JSON.stringify({ EventType: 'interop_text', CorpId: SECRETS.dingtalk.receiverId, Case: name, Text: text }) };
  if (vendor === 'feishu') {
    return {
      doc: JSON.stringify({
        schema: '2.0',
        header: { event_id: `interop-${name}-${Date.now()}`, event_type: 'interop.text', create_time: String(Date.now()), token: SECRETS.feishu.token, app_id: 'cli_interop', tenant_key: 'interop' },
        event: { case: name, text },
      }),
    };
  }
  if (text.includes('\u0000')) return { na: 'WeCom plaintexts are XML, and XML 1.0 cannot carry U+0000 (the Char production, XML 1.0 §2.2)' };
  if (text.includes(']]>')) return { na: 'text holds "]]>", which ends a CDATA section' };
  return {
    doc: `<xml><ToUserName><![CDATA[${SECRETS.wecom.receiverId}]]></ToUserName><FromUserName><![CDATA[interop]]></FromUserName>`
      + `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>`
      + `<Content><![CDATA[${text}]]></Content><MsgId>${Date.now()}</MsgId><AgentID>1</AgentID></xml>`,
  };
}

// `cbkit replay` without blocking the event loop (the receivers under test live in this process).
export function cbkitAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(CBKIT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      let json = null;
      try { json = JSON.parse(stdout); } catch { /* kept in stdout */ }
      resolve({ status, stdout, stderr, json });
    });
  });
}

export function fixtures(vendor) {
  return cbkit(['fixtures', 'list']).stdout.split('\n')
    .map((l) => l.split(/\s+/)[0]).filter((f) => f.startsWith(`${vendor}/`));
}
