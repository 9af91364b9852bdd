//! The bundled default secrets `cbkit demo` (and `fixtures show` without secrets) use: the
//! values of the vendors' own published examples, so nothing here is anyone's real secret.
//! Each vendor holds its own (`Vendor::demo_secrets`).

use crate::protocol::{Secrets, VendorId};

/// Default secrets for one vendor.
pub fn for_vendor(v: VendorId) -> Secrets {
    v.vendor().demo_secrets()
}
