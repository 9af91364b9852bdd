// Directions (a) cbkit encrypts → library decrypts and (b) library encrypts → cbkit decode and verify, for
// the Node libraries that implement the WXBizMsgCrypt envelope (WeCom; DingTalk uses the same).
import { createRequire } from 'node:module';
import { LIBS } from './libs.mjs';
import { cbkit, plaintexts, record, secretArgs, show, SECRETS, tmpFile } from './common.mjs';

const require = createRequire(import.meta.url);

const RUNS = [
  ['@wecom/crypto', 'wecom'],
  ['wechat-crypto', 'wecom'],
  ['wechat-crypto', 'dingtalk'],
  ['dingtalk-encrypt', 'dingtalk'],
];

const errText = (e) => [e.constructor?.name, e.code, e.message].filter(Boolean).join(' ');

for (const [lib, vendor] of RUNS) {
  const s = SECRETS[vendor];
  const impl = LIBS[lib](s);
  for (const p of plaintexts()) {
    // (a) cbkit encrypts, the library verifies and decrypts.
    const enc = cbkit(['encrypt', vendor, ...secretArgs(vendor), '--body', tmpFile(p.text), '--json']);
    const base = { lib, vendor, case: p.name, plaintext: show(p.text) };
    if (!enc.json) {
      record({ ...base, dir: 'a', ok: false, side: 'cbkit', detail: `cbkit encrypt failed: ${enc.stderr.trim()}` });
    } else {
      const { encrypt, signature, timestamp, nonce } = enc.json;
      try {
        const got = impl.decrypt(signature, timestamp, nonce, encrypt);
        const ok = got.message === p.text && got.id === s.receiverId;
        record({ ...base, dir: 'a', ok, got: show(got.message), detail: ok ? '' : `library decrypted ${show(got.message)} (id ${show(got.id)})` });
      } catch (e) {
        record({ ...base, dir: 'a', ok: false, got: errText(e), detail: `library threw ${errText(e)}` });
      }
    }
    // (b) the library encrypts and signs, cbkit decodes and checks the signature.
    const ts = vendor === 'dingtalk' ? String(Date.now()) : String(Math.floor(Date.now() / 1000));
    const nonce = Math.random().toString(36).slice(2, 10);
    let made;
    try {
      made = impl.encrypt(p.text, ts, nonce);
    } catch (e) {
      record({ ...base, dir: 'b', ok: false, got: errText(e), detail: `library could not encrypt: ${errText(e)}` });
      continue;
    }
    const inputs = ['--encrypt', made.encrypt, '--signature', made.signature, '--timestamp', ts, '--nonce', nonce, '--json'];
    const dec = cbkit(['decode', vendor, ...secretArgs(vendor), ...inputs]);
    const ver = cbkit(['verify', vendor, ...secretArgs(vendor), ...inputs]);
    const j = dec.json || {};
    const verified = ver.status === 0 && ver.json?.valid === true;
    const ok = dec.status === 0 && j.valid === true && j.plaintext === p.text && j.receiver_id === s.receiverId && verified;
    const detail = ok ? '' : `cbkit decode exit ${dec.status}: valid=${j.valid} plaintext=${show(j.plaintext)} ${dec.stderr.trim().split('\n')[0] || ''}; cbkit verify exit ${ver.status} valid=${ver.json?.valid}${j.plaintext_note ? `; cbkit: ${j.plaintext_note}` : ''}`;
    record({ ...base, dir: 'b', ok, got: show(j.plaintext), detail, diagnosis: ok ? undefined : dec.stderr.trim(), note: j.plaintext_note });
  }
}

// Feishu: @larksuiteoapi/node-sdk only decrypts (AESCipher); it has no event encryptor.
const lark = require('@larksuiteoapi/node-sdk');
for (const p of plaintexts()) {
  const base = { lib: '@larksuiteoapi/node-sdk', vendor: 'feishu', case: p.name, plaintext: show(p.text) };
  const enc = cbkit(['encrypt', 'feishu', ...secretArgs('feishu'), '--body', tmpFile(p.text), '--json']);
  if (!enc.json) {
    record({ ...base, dir: 'a', ok: false, detail: `cbkit encrypt failed: ${enc.stderr.trim()}` });
    continue;
  }
  try {
    const got = new lark.AESCipher(SECRETS.feishu.aesKey).decrypt(enc.json.encrypt);
    const ok = got === p.text;
    record({ ...base, dir: 'a', ok, got: show(got), detail: ok ? '' : `library decrypted ${show(got)}` });
  } catch (e) {
    record({ ...base, dir: 'a', ok: false, got: errText(e), detail: `library threw ${errText(e)}` });
  }
}
record({ lib: '@larksuiteoapi/node-sdk', dir: 'b', vendor: 'feishu', case: '-', ok: false, na: true,
  detail: 'the SDK has no event encryptor (only AESCipher.decrypt, lib/index.js:274-287)' });
record({ lib: '@larksuiteoapi/node-sdk', dir: 'd', vendor: 'feishu', case: '-', ok: false, na: true,
  detail: 'the SDK receives events and has no event sender (only Feishu sends them)' });
