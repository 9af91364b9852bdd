//! The bundled default secrets `cbkit demo` (and `fixtures show` without secrets) use: the
//! values of the vendors' own published examples, so nothing here is anyone's real secret.

use crate::protocol::{Secrets, VendorId};
use crate::secret::Secret;

/// Default secrets for one vendor.
pub fn for_vendor(v: VendorId) -> Secrets {
    let s = |t: &str| Some(Secret::new(t));
    match v {
        // Tencent Meeting's documented token; plain base64 bodies as in its documented example.
        VendorId::Wemeet => Secrets {
            token: s("bVPU6F8Htxl5XkAbp3jGV2xWp"),
            aes_key: None,
            ..Secrets::default()
        },
        VendorId::TencentIm => Secrets {
            token: s("xxxxyyyy"),
            sdk_app_id: Some("1400000000".into()),
            ..Secrets::default()
        },
        VendorId::Dingtalk => Secrets {
            token: s("mryue"),
            aes_key: s("Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7"),
            receiver_id: Some("ding6ccabc44d2c8d38b".into()),
            ..Secrets::default()
        },
        VendorId::Wecom => Secrets {
            token: s("QDG6eK"),
            aes_key: s("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"),
            receiver_id: Some("wx5823bf96d3bd56c7".into()),
            ..Secrets::default()
        },
        VendorId::Feishu => Secrets {
            token: s("demoVerificationToken"),
            aes_key: s("test key"),
            ..Secrets::default()
        },
    }
}
