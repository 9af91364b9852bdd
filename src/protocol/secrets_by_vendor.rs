//! The secrets of a run that serves several vendors (`listen --vendor auto`, `decode --all`,
//! the inspector): a vendor's own set where it has one (a profile's `[profile.NAME.VENDOR]`
//! table), the default set for every other vendor and for a request of no known vendor.

use super::{Secrets, VendorId};

/// One set of secrets per vendor that has its own, plus one for the rest.
#[derive(Debug, Clone, Default)]
pub struct SecretsByVendor {
    /// For every vendor without a set of its own, and for a request of no known vendor.
    pub default: Secrets,
    /// In [`VendorId::ALL`] order: a fixed array, so the lookup on each request neither
    /// hashes nor allocates.
    own: [Option<Secrets>; VendorId::ALL.len()],
}

impl SecretsByVendor {
    /// `vendor` uses `secrets` instead of the default.
    pub fn with_own(mut self, vendor: VendorId, secrets: Secrets) -> SecretsByVendor {
        if let Some(slot) = slot(vendor).and_then(|i| self.own.get_mut(i)) {
            *slot = Some(secrets);
        }
        self
    }

    /// The default, and for every vendor its own set from `own_for`.
    pub fn each(default: Secrets, own_for: impl Fn(VendorId) -> Secrets) -> SecretsByVendor {
        VendorId::ALL
            .into_iter()
            .fold(SecretsByVendor::from(default), |all, v| {
                all.with_own(v, own_for(v))
            })
    }

    /// The secrets a request for `vendor` is verified, opened, answered and redacted with.
    pub fn for_vendor(&self, vendor: Option<VendorId>) -> &Secrets {
        vendor
            .and_then(slot)
            .and_then(|i| self.own.get(i)?.as_ref())
            .unwrap_or(&self.default)
    }
}

/// The same secrets for every vendor.
impl From<Secrets> for SecretsByVendor {
    fn from(default: Secrets) -> SecretsByVendor {
        SecretsByVendor {
            default,
            ..SecretsByVendor::default()
        }
    }
}

fn slot(vendor: VendorId) -> Option<usize> {
    VendorId::ALL.iter().position(|&v| v == vendor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(s: &Secrets) -> Option<&str> {
        s.token().ok()
    }

    #[test]
    fn a_vendor_without_its_own_set_and_an_unknown_vendor_get_the_default() {
        let (wemeet, wecom) = (VendorId::named("wemeet"), VendorId::named("wecom"));
        let all = SecretsByVendor::from(Secrets::new("flat", None))
            .with_own(wemeet, Secrets::new("wm", Some("key")));
        assert_eq!(token(all.for_vendor(Some(wemeet))), Some("wm"));
        assert_eq!(token(all.for_vendor(Some(wecom))), Some("flat"));
        assert_eq!(token(all.for_vendor(None)), Some("flat"));
        assert_eq!(
            token(SecretsByVendor::default().for_vendor(Some(wemeet))),
            None
        );
    }

    #[test]
    fn each_gives_every_vendor_its_own_and_keeps_the_default_for_none() {
        let all =
            SecretsByVendor::each(Secrets::new("flat", None), |v| Secrets::new(v.name(), None));
        for v in VendorId::ALL {
            assert_eq!(token(all.for_vendor(Some(v))), Some(v.name()));
        }
        assert_eq!(token(all.for_vendor(None)), Some("flat"));
    }

    #[test]
    fn the_lookup_borrows_the_stored_set() {
        let wemeet = VendorId::named("wemeet");
        let all = SecretsByVendor::from(Secrets::default()).with_own(wemeet, Secrets::default());
        assert!(std::ptr::eq(all.for_vendor(None), &all.default));
        assert!(!std::ptr::eq(all.for_vendor(Some(wemeet)), &all.default));
    }
}
