//! The one table of vendor names: every place that turns a name into a [`VendorId`] or lists
//! the names (clap's value parser, `FromStr`, help text, completions, listen's `/<vendor>`
//! routes and its "unknown vendor" answer) reads it from here, so every command accepts the
//! same names.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{Vendor, dingtalk, feishu, tencent_im, wechat, wecom, wemeet};

/// The vendors cbkit speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VendorId {
    Wemeet,
    TencentIm,
    Dingtalk,
    Wecom,
    Feishu,
    Wechat,
}

/// One row of the table: the canonical name, the aliases shown in help and completions, the
/// aliases accepted but not advertised, the human title and the implementation.
pub struct Entry {
    pub id: VendorId,
    pub name: &'static str,
    pub shown_aliases: &'static [&'static str],
    pub hidden_aliases: &'static [&'static str],
    pub title: &'static str,
    pub vendor: &'static dyn Vendor,
}

/// Adding a vendor: one variant above and one row here.
#[rustfmt::skip]
pub const TABLE: &[Entry] = &[
    Entry { id: VendorId::Wemeet, name: "wemeet", shown_aliases: &[], hidden_aliases: &["tencent-meeting"], title: "Tencent Meeting", vendor: &wemeet::Wemeet },
    Entry { id: VendorId::TencentIm, name: "tencent-im", shown_aliases: &["tim"], hidden_aliases: &["im", "room", "trtc"], title: "Tencent Cloud IM/Room", vendor: &tencent_im::TencentIm },
    Entry { id: VendorId::Dingtalk, name: "dingtalk", shown_aliases: &[], hidden_aliases: &["ding"], title: "DingTalk", vendor: &dingtalk::Dingtalk },
    Entry { id: VendorId::Wecom, name: "wecom", shown_aliases: &[], hidden_aliases: &["wework"], title: "WeCom", vendor: &wecom::Wecom },
    Entry { id: VendorId::Feishu, name: "feishu", shown_aliases: &["lark"], hidden_aliases: &[], title: "Feishu", vendor: &feishu::Feishu },
    Entry { id: VendorId::Wechat, name: "wechat", shown_aliases: &["weixin", "mp"], hidden_aliases: &["wx", "miniprogram"], title: "WeChat", vendor: &wechat::Wechat },
];

impl VendorId {
    /// Every vendor, in table order.
    pub const ALL: [VendorId; TABLE.len()] = {
        let mut all = [VendorId::Wemeet; TABLE.len()];
        let mut i = 0;
        while i < TABLE.len() {
            all[i] = TABLE[i].id;
            i += 1;
        }
        all
    };

    fn entry(self) -> &'static Entry {
        TABLE
            .iter()
            .find(|e| e.id == self)
            .expect("every VendorId has a row in TABLE")
    }

    pub fn name(self) -> &'static str {
        self.entry().name
    }

    /// A human title for tables and messages.
    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// The protocol implementation.
    pub fn vendor(self) -> &'static dyn Vendor {
        self.entry().vendor
    }

    /// Names shown on the command line (help, completions): canonical names and shown aliases.
    pub fn shown_names() -> impl Iterator<Item = &'static str> {
        TABLE
            .iter()
            .flat_map(|e| std::iter::once(e.name).chain(e.shown_aliases.iter().copied()))
    }

    /// Every name that resolves to a vendor, hidden aliases included.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().flat_map(|e| {
            std::iter::once(e.name)
                .chain(e.shown_aliases.iter().copied())
                .chain(e.hidden_aliases.iter().copied())
        })
    }

    /// The list for help text and errors: `wemeet, tencent-im (tim), …`.
    pub fn help_list() -> String {
        TABLE
            .iter()
            .map(|e| match e.shown_aliases {
                [] => e.name.to_string(),
                aliases => format!("{} ({})", e.name, aliases.join(", ")),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The `/<vendor>` paths listen serves in auto mode, for its "cannot tell" answer.
    pub fn path_list() -> String {
        let paths: Vec<String> = TABLE.iter().map(|e| format!("/{}", e.name)).collect();
        match paths.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => paths.concat(),
        }
    }

    /// Guess the vendor from a request's shape (used by `listen --vendor auto` at `/`): the
    /// vendor that recognises it most surely.
    pub fn recognise(req: &crate::http::HttpRequest) -> Option<VendorId> {
        TABLE
            .iter()
            .map(|e| (e.vendor.recognise(req), e.id))
            .filter(|(score, _)| *score > 0)
            .max_by_key(|(score, _)| *score)
            .map(|(_, id)| id)
    }

    /// The vendor named `name`, for tests outside `src/protocol/` (which name vendors, never
    /// their variants).
    #[cfg(test)]
    pub(crate) fn named(name: &str) -> VendorId {
        VendorId::lookup(name).expect("a vendor's name")
    }

    /// The vendor a name (or alias) stands for, ignoring case.
    pub fn lookup(name: &str) -> Option<VendorId> {
        let name = name.to_ascii_lowercase();
        TABLE
            .iter()
            .find(|e| {
                e.name == name
                    || e.shown_aliases.contains(&name.as_str())
                    || e.hidden_aliases.contains(&name.as_str())
            })
            .map(|e| e.id)
    }
}

impl fmt::Display for VendorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for VendorId {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        VendorId::lookup(s).ok_or_else(|| {
            format!(
                "unknown vendor `{}`{}; expected one of: {}",
                s.to_ascii_lowercase(),
                crate::suggest::did_you_mean(s, VendorId::ALL.iter().map(|v| v.name())),
                VendorId::help_list()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips_and_every_alias_resolves() {
        for v in VendorId::ALL {
            assert_eq!(v.name().parse::<VendorId>().unwrap(), v);
            assert_eq!(v.vendor().id(), v);
        }
        for name in VendorId::all_names() {
            assert!(name.parse::<VendorId>().is_ok(), "{name}");
        }
        assert_eq!("WeWork".parse::<VendorId>().unwrap(), VendorId::Wecom);
        assert_eq!("ding".parse::<VendorId>().unwrap(), VendorId::Dingtalk);
        assert!("slack".parse::<VendorId>().is_err());
    }

    #[test]
    fn lists_are_made_from_the_table() {
        assert_eq!(
            VendorId::help_list(),
            "wemeet, tencent-im (tim), dingtalk, wecom, feishu (lark), wechat (weixin, mp)"
        );
        assert_eq!(
            VendorId::path_list(),
            "/wemeet, /tencent-im, /dingtalk, /wecom, /feishu or /wechat"
        );
        assert_eq!(
            VendorId::shown_names().collect::<Vec<_>>(),
            [
                "wemeet",
                "tencent-im",
                "tim",
                "dingtalk",
                "wecom",
                "feishu",
                "lark",
                "wechat",
                "weixin",
                "mp"
            ]
        );
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn all_lists_each_vendor_once_in_table_order() {
        let ids: Vec<VendorId> = TABLE.iter().map(|e| e.id).collect();
        assert_eq!(VendorId::ALL.to_vec(), ids);
        let unique: std::collections::HashSet<_> = VendorId::ALL.iter().collect();
        assert_eq!(unique.len(), TABLE.len());
    }

    #[test]
    fn titles_display_and_aliases() {
        assert_eq!(VendorId::Dingtalk.title(), "DingTalk");
        assert_eq!(VendorId::Wecom.to_string(), "wecom");
        let all: Vec<&str> = VendorId::all_names().collect();
        assert!(all.contains(&"wework") && all.contains(&"tim"), "{all:?}");
        assert!(all.len() > VendorId::shown_names().count());
        assert_eq!(VendorId::lookup("TIM"), Some(VendorId::TencentIm));
        assert_eq!(VendorId::lookup("lark"), Some(VendorId::Feishu));
    }

    #[test]
    fn a_request_is_recognised_by_its_most_certain_vendor() {
        let req = |query: &str| crate::http::HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            query: query.into(),
            ..crate::http::HttpRequest::default()
        };
        assert_eq!(
            VendorId::recognise(&req("SdkAppid=1&CallbackCommand=c")),
            Some(VendorId::TencentIm)
        );
        assert_eq!(VendorId::recognise(&req("a=b")), None);
    }
}
