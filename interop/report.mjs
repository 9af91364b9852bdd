// Turns out/results.jsonl (one line per check, written by the drivers) into RESULTS.md: a table
// library × direction → agreed/total, every disagreement with its inputs, and the judgement with
// the library source line it rests on (found in the installed source, so the line numbers are
// those of the pinned versions).
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = process.env.INTEROP_OUT || join(HERE, 'out');
const rows = readFileSync(join(OUT, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const versions = existsSync(join(OUT, 'versions.txt')) ? readFileSync(join(OUT, 'versions.txt'), 'utf8').trim() : '';

// `path:line` of the first line of an installed library file holding `needle`.
function cite(path, needle) {
  const full = join(HERE, path);
  if (!existsSync(full)) return `${path} (not installed)`;
  const i = readFileSync(full, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  return i < 0 ? `${path} (\`${needle}\` not found)` : `${path}:${i + 1}`;
}
const DTE = 'node_modules/dingtalk-encrypt/DingTalkEncryptor.js';
// venv/lib/pythonX.Y/site-packages, whichever Python made the venv.
const PY = (() => {
  const lib = join(HERE, 'venv', 'lib');
  const v = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  return `venv/lib/${v || 'python3'}/site-packages`;
})();
const LARK = 'node_modules/@larksuiteoapi/node-sdk/lib/index.js';

// Who is right, for each kind of disagreement seen. The first rule that matches decides.
const JUDGEMENTS = [
  {
    id: 'dingtalk-encrypt-percent',
    // Every dingtalk-encrypt disagreement but a receiver that cannot find the signature at all.
    match: (r) => r.lib === 'dingtalk-encrypt' && !/900006/.test(r.detail || ''),
    who: "the library's",
    text: () => `dingtalk-encrypt runs \`encodeURI\` on the plaintext before encrypting (${cite(DTE, 'plainText = encodeURI(plainText)')}), `
      + `turns the string into bytes as Latin-1 (${cite(DTE, 'CryptoJS.enc.Latin1.parse(unencrypted)')}), reads decrypted bytes back as Latin-1 `
      + `(${cite(DTE, 'CryptoJS.enc.Latin1.stringify(decrypted)')}) and \`decodeURI\`s the result (${cite(DTE, 'return decodeURI(plainText)')}). `
      + 'So what it sends is percent-encoded text (cbkit decodes exactly that, correctly), UTF-8 it receives comes out as Latin-1 mojibake, '
      + 'and a plaintext holding `%` not followed by two hex digits throws `URIError`. DingTalk encrypts raw UTF-8 (its Java reference, '
      + 'which the library says it ports, uses `getBytes("UTF-8")`), as do dingtalk-sdk, wechatpy, wechat-crypto and @wecom/crypto, which all agree with cbkit here.',
  },
  {
    id: 'dingtalk-query-signature',
    match: (r) => /signature, as the seed page/.test(r.receiver || ''),
    who: "cbkit's (to settle, issue #16 \"DingTalk query parameter names\")",
    text: () => 'This receiver reads the signature from `signature`, the name DingTalk\'s "verify callback" page gives '
      + '(shared/seeds/002_0b06a15ab8865031.txt, "回调的URL参数 … signature 加密签名"), and computed it against an absent value '
      + '(`签名计算失败`, 900006). cbkit sends both `signature` and `msg_signature` (a captured push carries both; '
      + 'docs/protocols/dingtalk.md), so this is a regression. See FINDINGS.md (c).',
  },
  {
    id: 'lark-challenge-content-type',
    match: (r) => r.lib === '@larksuiteoapi/node-sdk' && /url_verification/.test(r.case) && r.answer_content_type === '(none)',
    who: "cbkit's (too strict; to settle, issue #16 \"Feishu challenge Content-Type\")",
    text: () => `adaptDefault answers the challenge with \`res.end(JSON.stringify(challenge))\` and sets no header (${cite(LARK, 'res.end(JSON.stringify(challenge))')}); `
      + `adaptExpress uses \`res.json\` (${cite(LARK, 'res.json(challenge)')}), which sets \`application/json\`. Feishu's document asks for the challenge `
      + '"in JSON format" and names no Content-Type, and adaptDefault is the SDK\'s documented node:http way; cbkit rejects the answer for its '
      + 'missing Content-Type, where it should only warn (docs/protocols/feishu.md): a regression. See FINDINGS.md (a).',
  },
  {
    id: 'reply-envelope-not-verified',
    match: (r) => r.reply && r.dir === 'b',
    who: "cbkit's (to settle, issue #16 \"Reply envelopes are verified, not only decrypted\")",
    text: () => 'The receiver\'s encrypted answer carries its own signature, timestamp and nonce: wechatpy\'s passive reply XML has '
      + `\`<MsgSignature>\`, \`<TimeStamp>\`, \`<Nonce>\` (${cite(`${PY}/wechatpy/crypto/__init__.py`, '<MsgSignature><![CDATA[{signature}]]></MsgSignature>')}), `
      + `dingtalk-sdk's map has \`msg_signature\`, \`timeStamp\`, \`nonce\` (${cite(`${PY}/dingtalk/crypto/__init__.py`, "result['msg_signature'] = signature")}). `
      + '`cbkit decode --body` and `verify --body` read them from the envelope and check the signature; a row here means they '
      + 'did not (a regression). The plaintexts all agree.',
  },
  {
    id: 'feishu-challenge-without-x-lark',
    match: (r) => r.lib.startsWith('Feishu challenge as captured'),
    who: "cbkit's (to settle, issue #16 \"Feishu challenge without X-Lark-* headers\")",
    text: () => 'Feishu sends its URL-check challenge without X-Lark-Request-Timestamp/-Nonce/-Signature (captured in '
      + 'https://github.com/larksuite/oapi-sdk-python/issues/79 and, by tcpdump, https://github.com/openclaw/openclaw/issues/58905). '
      + `Both SDKs answer url_verification before any signature check: node-sdk's generateChallenge runs in adaptDefault/adaptExpress before `
      + `dispatcher.invoke checks signatures (${cite(LARK, 'const { isChallenge, challenge } = generateChallenge(data, {')}), and lark-oapi returns the `
      + `challenge (${cite(`${PY}/lark_oapi/event/dispatcher_handler.py`, 'if URL_VERIFICATION == context.type:')}) before `
      + `\`_verify_sign\`. \`cbkit listen\` with an Encrypt Key answers it with a note, not a failure (docs/protocols/feishu.md); a row here is a regression. See FINDINGS.md (b).`,
  },
];

const judge = (r) => JUDGEMENTS.find((j) => j.match(r));
const DIRS = {
  a: 'a: cbkit encrypts → library decrypts',
  b: 'b: library encrypts → cbkit decodes',
  c: 'c: `cbkit replay` → receiver on the library',
  d: 'd: sender on the library → `cbkit listen`',
};
const libs = [...new Set(rows.map((r) => r.lib))];
const cell = (lib, dir) => {
  const rs = rows.filter((r) => r.lib === lib && r.dir === dir && !r.na);
  const na = rows.filter((r) => r.lib === lib && r.dir === dir && r.na);
  if (!rs.length) return na.length ? 'n/a' : '—';
  const agreed = rs.filter((r) => r.ok).length;
  return `${agreed}/${rs.length}${na.length ? ` (+${na.length} n/a)` : ''}`;
};

const lines = [];
lines.push('# Interop results', '');
lines.push('Written by `interop/run.sh` (do not edit by hand). cbkit against the libraries that users\' receivers and senders are built on,');
lines.push('over the plaintexts in `interop/plaintexts.json` (ASCII JSON, Chinese, emoji, empty, ~64 KiB, `%`, `+`, CRLF, BOM, NUL).');
lines.push('In (c) and (d) each plaintext travels inside an event of the vendor\'s format, and (c) also replays every bundled fixture.', '');
if (versions) lines.push('```', versions, '```', '');
lines.push('| library | vendor | ' + Object.values(DIRS).join(' | ') + ' |');
lines.push('|---|---|' + Object.keys(DIRS).map(() => '---|').join(''));
for (const lib of libs) {
  const vendors = [...new Set(rows.filter((r) => r.lib === lib).map((r) => r.vendor))].join(', ');
  lines.push(`| ${lib} | ${vendors} | ${Object.keys(DIRS).map((d) => cell(lib, d)).join(' | ')} |`);
}
lines.push('', '`—`: nothing built on that library in that direction (wechat-crypto is checked as crypto and as a sender; WeCom receivers are built on @wecom/crypto and wechatpy). `n/a`: the library has no such side (the lark SDKs neither encrypt nor send events).', '');
const receivers = [...new Set(rows.filter((r) => r.receiver).map((r) => r.receiver))];
if (receivers.length) {
  lines.push('Receivers in (c):', '', '| receiver | agreed/total |', '|---|---|');
  for (const name of receivers) {
    const rs = rows.filter((r) => r.receiver === name && !r.na);
    lines.push(`| ${name} | ${rs.filter((r) => r.ok).length}/${rs.length} |`);
  }
  lines.push('');
}

const dis = rows.filter((r) => !r.ok && !r.na);
const correct = libs.filter((lib) => !rows.some((r) => r.lib === lib && r.vendorShape)).filter((lib) => !dis.some((r) => r.lib === lib && judge(r)?.who.startsWith("the library's")));
const cbkitSide = dis.filter((r) => !judge(r)?.who.startsWith("the library's"));
lines.push('## Summary', '');
lines.push(`- ${rows.filter((r) => !r.na).length} checks, ${rows.filter((r) => r.ok).length} agreed, ${dis.length} disagreed, ${rows.filter((r) => r.na).length} not applicable.`);
lines.push(`- Libraries with no disagreement of their own: ${correct.join(', ')}.`);
lines.push(`- Disagreements that are cbkit's to settle: ${cbkitSide.length}${cbkitSide.length ? ` (${[...new Set(cbkitSide.map((r) => judge(r)?.id || 'unjudged'))].join(', ')})` : ''}.`);
lines.push('');

lines.push('## Disagreements', '');
if (!dis.length) lines.push('None.', '');
const groups = new Map();
for (const r of dis) {
  const j = judge(r);
  const key = j ? j.id : 'unjudged';
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}
for (const [key, rs] of groups) {
  const j = JUDGEMENTS.find((x) => x.id === key);
  lines.push(`### ${key} — ${rs.length} check${rs.length > 1 ? 's' : ''}`, '');
  lines.push(j ? `**Judgement: ${j.who}.** ${j.text()}` : '**Not judged yet**: read the inputs below and the library source.', '');
  // What cbkit itself says about such a plaintext (decode --json's plaintext_note; verify
  // --explain and listen print the same words).
  const note = rs.find((r) => r.note)?.note;
  if (note) lines.push(`**cbkit's diagnosis** (\`decode\`, \`verify --explain\` and \`listen\` print it): ${note}`, '');
  lines.push('| library | dir | vendor | case | plaintext | what happened |', '|---|---|---|---|---|---|');
  const esc = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const r of rs) lines.push(`| ${esc(r.receiver || r.lib)} | ${r.dir} | ${r.vendor} | ${esc(r.case)} | ${esc(r.plaintext)} | ${esc(r.detail)} |`);
  lines.push('');
}

const na = rows.filter((r) => r.na);
if (na.length) {
  lines.push('## Not applicable', '');
  const seen = new Set();
  for (const r of na) {
    const k = `${r.lib} ${r.dir} ${r.detail}`;
    if (seen.has(k)) continue;
    seen.add(k);
    lines.push(`- ${r.receiver || r.lib}, ${r.dir}, ${r.vendor}${r.case !== '-' ? ` (${r.case})` : ''}: ${r.detail}`);
  }
  lines.push('');
}
writeFileSync(join(HERE, 'RESULTS.md'), lines.join('\n'));
console.error(`wrote interop/RESULTS.md: ${rows.length} checks, ${dis.length} disagreements`);
// A disagreement nobody has judged yet fails the run: it needs a reading of the library source.
if (groups.has('unjudged')) process.exitCode = 1;
