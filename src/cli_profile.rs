//! What a configuration profile may fill in each command: its vendor, secrets, URL.

use cbkit::protocol::VendorId;

use super::{Command, ConfigCmd, Deferred, FixturesCmd, SecretArgs};

impl Command {
    /// The vendor this command names, if it names exactly one: a profile for another vendor
    /// is not applied to it.
    pub fn vendor_named(&self) -> Option<VendorId> {
        // `wemeet/meeting.created` or `wemeet`: the vendor part of a fixture name.
        let of_spec = |spec: &str| spec.split('/').next()?.parse::<VendorId>().ok();
        match self {
            Command::Sign(c) => Some(c.vendor),
            Command::Decode(c) => c.vendor,
            Command::Verify(c) => Some(c.msg.vendor),
            Command::Encrypt(c) => Some(c.vendor),
            Command::Probe(c) => Some(c.vendor),
            Command::Listen(c) => c.vendor.as_deref().and_then(|v| v.parse().ok()),
            Command::Fixtures(Deferred(FixturesCmd::Show { name, .. })) => of_spec(name),
            Command::Replay(c) => {
                let mut vendors = c.fixtures.iter().map(|f| of_spec(f));
                let first = vendors.next()??;
                vendors.all(|v| v == Some(first)).then_some(first)
            }
            _ => None,
        }
    }

    /// The secrets this command takes, for filling from a profile.
    pub fn secrets_mut(&mut self) -> Option<&mut SecretArgs> {
        match self {
            Command::Sign(c) => Some(&mut c.secrets),
            Command::Decode(c) => Some(&mut c.secrets),
            Command::Verify(c) => Some(&mut c.msg.secrets),
            Command::Encrypt(c) => Some(&mut c.secrets),
            Command::Probe(c) => Some(&mut c.secrets),
            Command::Replay(c) => Some(&mut c.secrets),
            Command::Listen(c) => Some(&mut c.secrets),
            Command::Inspect(c) => Some(&mut c.secrets),
            Command::Fixtures(Deferred(FixturesCmd::Show { secrets, .. })) => Some(secrets),
            Command::Fixtures(Deferred(FixturesCmd::Save { secrets, .. })) => Some(secrets),
            Command::Config(Deferred(ConfigCmd::Show { secrets, .. })) => Some(secrets),
            Command::Fixtures(Deferred(FixturesCmd::List { .. }))
            | Command::Demo(_)
            | Command::Completions { .. }
            | Command::Man => None,
        }
    }

    /// The URL this command takes, for filling from a profile.
    pub fn url_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            Command::Probe(c) => Some(&mut c.url),
            Command::Replay(c) => Some(&mut c.url),
            Command::Config(Deferred(ConfigCmd::Show { url, .. })) => Some(url),
            _ => None,
        }
    }

    /// The vendor option of `listen`, for filling from a profile.
    pub fn listen_vendor_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            Command::Listen(c) => Some(&mut c.vendor),
            _ => None,
        }
    }
}
