// The WXBizMsgCrypt-envelope libraries behind one shape: encrypt (with its signature) and
// decrypt (throws on a bad signature or receiver id). Used by crypto.mjs and senders.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wecomCrypto = require('@wecom/crypto');
const WXBizMsgCrypt = require('wechat-crypto');
const DingTalkEncryptor = require('dingtalk-encrypt');

// Each library behind one shape: sign, encrypt, decrypt (throws on a bad signature).
export const LIBS = {
  '@wecom/crypto': (s) => ({
    encrypt: (text, ts, nonce) => {
      const encrypt = wecomCrypto.encrypt(s.aesKey, text, s.receiverId);
      return { encrypt, signature: wecomCrypto.getSignature(s.token, ts, nonce, encrypt) };
    },
    decrypt: (sig, ts, nonce, encrypt) => {
      if (wecomCrypto.getSignature(s.token, ts, nonce, encrypt) !== sig) throw new Error('signature mismatch');
      return wecomCrypto.decrypt(s.aesKey, encrypt);
    },
  }),
  'wechat-crypto': (s) => {
    const c = new WXBizMsgCrypt(s.token, s.aesKey, s.receiverId);
    return {
      encrypt: (text, ts, nonce) => {
        const encrypt = c.encrypt(text);
        return { encrypt, signature: c.getSignature(ts, nonce, encrypt) };
      },
      decrypt: (sig, ts, nonce, encrypt) => {
        if (c.getSignature(ts, nonce, encrypt) !== sig) throw new Error('signature mismatch');
        return c.decrypt(encrypt);
      },
    };
  },
  'dingtalk-encrypt': (s) => {
    const c = new DingTalkEncryptor(s.token, s.aesKey, s.receiverId);
    return {
      encrypt: (text, ts, nonce) => {
        const m = c.getEncryptedMap(text, ts, nonce);
        return { encrypt: m.encrypt, signature: m.msg_signature };
      },
      // getDecryptMsg checks the signature and the receiver id itself.
      decrypt: (sig, ts, nonce, encrypt) => ({ message: c.getDecryptMsg(sig, ts, nonce, encrypt), id: s.receiverId }),
    };
  },
};
