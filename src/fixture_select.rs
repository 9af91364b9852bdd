//! Choosing fixtures by what the user names: the names, vendors, `all`, files and directories
//! that [`super::resolve`] takes, shell-style patterns over fixture names (`wemeet/meeting.*`,
//! `*/url-verification`), and `--exclude` selectors that take fixtures away again.
//!
//! A pattern or exclusion that matches nothing is an error naming the closest fixtures: a
//! mistyped selector must not quietly send (or list) nothing, or everything.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use super::{Fixture, bundled, resolve};
use crate::error::{Error, Result};
use crate::protocol::VendorId;

/// How many close names a no-match error offers.
const SUGGESTIONS: usize = 3;

/// Whether `spec` is a pattern rather than a name: it holds a wildcard (`*`, `?` or `[`).
pub fn is_pattern(spec: &str) -> bool {
    spec.contains(['*', '?', '['])
}

/// One compiled selector: `all`, a vendor (name or alias), a fixture name (`vendor/event`, the
/// vendor part may be an alias), or a pattern.
#[derive(Debug, Clone)]
pub struct Selector {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    All,
    Vendor(VendorId),
    Name(String),
    Pattern(glob::Pattern),
}

/// Patterns match across `/` (`*verification*` finds every vendor's handshake); case counts,
/// as it does for names.
const MATCH: glob::MatchOptions = glob::MatchOptions {
    case_sensitive: true,
    require_literal_separator: false,
    require_literal_leading_dot: false,
};

impl Selector {
    /// Compile `text`; `field` names the input in an error (`fixture`, `exclude`).
    pub fn parse(text: &str, field: &str) -> Result<Selector> {
        let kind = if text == "all" {
            Kind::All
        } else if let Some(v) = (!text.contains('/'))
            .then(|| text.parse::<VendorId>().ok())
            .flatten()
        {
            Kind::Vendor(v)
        } else if is_pattern(text) {
            let p = glob::Pattern::new(&canonical_vendor(text)).map_err(|e| {
                Error::malformed(field, format!("`{text}` is not a valid pattern: {e}"))
            })?;
            Kind::Pattern(p)
        } else {
            Kind::Name(canonical_vendor(text))
        };
        Ok(Selector {
            text: text.to_string(),
            kind,
        })
    }

    /// Whether this selector takes `f`: by its name, or for a fixture file (named by its path)
    /// by the `vendor/event` it declares.
    pub fn matches(&self, f: &Fixture) -> bool {
        let declared = || format!("{}/{}", f.vendor.name(), f.event);
        match &self.kind {
            Kind::All => true,
            Kind::Vendor(v) => f.vendor == *v,
            Kind::Name(n) => f.name == *n || declared() == *n,
            Kind::Pattern(p) => {
                p.matches_with(&f.name, MATCH) || p.matches_with(&declared(), MATCH)
            }
        }
    }

    /// The selector as the user wrote it.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// `lark/x` → `feishu/x`: the vendor part of a name or pattern in its canonical spelling, when
/// it is a vendor name or alias (a wildcard there is left alone).
fn canonical_vendor(spec: &str) -> String {
    match spec.split_once('/') {
        Some((v, rest)) => match v.parse::<VendorId>() {
            Ok(v) => format!("{}/{rest}", v.name()),
            Err(_) => spec.to_string(),
        },
        None => spec.to_string(),
    }
}

/// The fixtures `specs` name, each once, in the order first named: each spec as [`pick`]
/// takes it (patterns over the bundled fixtures); then less those `excludes` match.
pub fn select(specs: &[String], excludes: &[String]) -> Result<Vec<Fixture>> {
    // Parsed only when a pattern needs it.
    let pool = OnceCell::new();
    let mut out = Vec::new();
    for spec in specs {
        out.extend(pick(spec, || pool.get_or_init(bundled).as_slice())?);
    }
    exclude(unique(out), excludes)
}

/// The fixtures one spec names: a pattern over `pool`'s names (an existing file whose name
/// holds a wildcard is still that file), or what [`resolve`] takes. A pattern that matches
/// nothing is an error naming the closest of `pool`.
pub fn pick<'a>(spec: &str, pool: impl FnOnce() -> &'a [Fixture]) -> Result<Vec<Fixture>> {
    if !is_pattern(spec) || Path::new(spec).exists() {
        return resolve(spec);
    }
    let sel = Selector::parse(spec, "fixture")?;
    let pool = pool();
    let found: Vec<Fixture> = pool.iter().filter(|f| sel.matches(f)).cloned().collect();
    if found.is_empty() {
        return Err(no_match("fixture", "no fixture matches", spec, pool));
    }
    Ok(found)
}

/// `list` with each fixture once, where it first appears. Specs overlap (`wemeet` and
/// `wemeet/*`, a directory and a file in it), and an overlap must not send a fixture twice.
/// Two entries are one fixture when they are alike and come from one place: the same bundled
/// name, or the same file however its path was spelled. A file that happens to sit at a
/// bundled fixture's name is not that fixture unless it says the same.
pub fn unique(list: Vec<Fixture>) -> Vec<Fixture> {
    let mut kept: Vec<(PathBuf, Fixture)> = Vec::with_capacity(list.len());
    for f in list {
        let place = std::fs::canonicalize(&f.name).unwrap_or_else(|_| PathBuf::from(&f.name));
        let seen = kept.iter().any(|(p, k)| {
            *p == place
                && Fixture {
                    name: k.name.clone(),
                    ..f.clone()
                } == *k
        });
        if !seen {
            kept.push((place, f));
        }
    }
    kept.into_iter().map(|(_, f)| f).collect()
}

/// The fixtures of `list` that any of `selectors` takes (all of them when there are none), in
/// `list`'s order, less those `excludes` match. A selector that takes none is an error.
pub fn filter(
    list: Vec<Fixture>,
    selectors: &[String],
    excludes: &[String],
) -> Result<Vec<Fixture>> {
    if selectors.is_empty() {
        return exclude(list, excludes);
    }
    let compiled = selectors
        .iter()
        .map(|s| Selector::parse(s, "fixture"))
        .collect::<Result<Vec<_>>>()?;
    for sel in &compiled {
        if !list.iter().any(|f| sel.matches(f)) {
            return Err(no_match("fixture", "no fixture matches", sel.text(), &list));
        }
    }
    let kept = list
        .into_iter()
        .filter(|f| compiled.iter().any(|s| s.matches(f)))
        .collect();
    exclude(kept, excludes)
}

/// `list` less the fixtures any of `excludes` takes. An exclusion that takes none of `list` is
/// an error (a typo would otherwise exclude nothing), and so is one that leaves nothing.
pub fn exclude(list: Vec<Fixture>, excludes: &[String]) -> Result<Vec<Fixture>> {
    if excludes.is_empty() {
        return Ok(list);
    }
    let compiled = excludes
        .iter()
        .map(|s| Selector::parse(s, "exclude"))
        .collect::<Result<Vec<_>>>()?;
    for sel in &compiled {
        if !list.iter().any(|f| sel.matches(f)) {
            return Err(no_match(
                "exclude",
                "no selected fixture matches",
                sel.text(),
                &list,
            ));
        }
    }
    let kept: Vec<Fixture> = list
        .into_iter()
        .filter(|f| !compiled.iter().any(|s| s.matches(f)))
        .collect();
    if kept.is_empty() {
        return Err(Error::malformed(
            "exclude",
            format!(
                "{} excludes every selected fixture",
                excludes
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(kept)
}

/// `no fixture matches `SPEC` (closest: …); see `cbkit fixtures list``.
fn no_match(field: &str, what: &str, spec: &str, among: &[Fixture]) -> Error {
    let close = closest(spec, among);
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(
            " (closest: {})",
            close
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Error::malformed(
        field,
        format!("{what} `{spec}`{hint}; see `cbkit fixtures list`"),
    )
}

/// The names in `among` most like `spec`, its wildcards taken out: compared whole, and event
/// part to event part (`*/url-verfication` finds `wemeet/url-verification`).
pub fn closest(spec: &str, among: &[Fixture]) -> Vec<String> {
    let literal = |s: &str| -> String {
        let mut out = String::new();
        let mut in_set = false;
        for c in s.chars() {
            match c {
                '[' => in_set = true,
                ']' if in_set => in_set = false,
                '*' | '?' => {}
                _ if in_set => {}
                c => out.push(c),
            }
        }
        out
    };
    let spec = canonical_vendor(spec);
    let whole = literal(&spec);
    let event = literal(spec.rsplit('/').next().unwrap_or(&spec));
    let names: Vec<&str> = among.iter().map(|f| f.name.as_str()).collect();
    let events: Vec<&str> = names
        .iter()
        .map(|n| n.rsplit('/').next().unwrap_or(n))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let by_event = crate::suggest::closest_n(&event, events.iter().copied(), names.len());
    // A pattern ending in `*` stands for a name's beginning: names are compared by as much of
    // them (one character more), so that siblings are not ranked by their length.
    let open_end = spec.ends_with('*');
    let cut = |n: &str| -> String {
        if open_end {
            n.chars().take(whole.chars().count() + 1).collect()
        } else {
            n.to_string()
        }
    };
    let cuts: Vec<String> = names.iter().map(|n| cut(n)).collect();
    let mut cut_order: Vec<&str> = cuts.iter().map(String::as_str).collect();
    cut_order.dedup();
    let by_name: Vec<&str> = crate::suggest::closest_n(&whole, cut_order, SUGGESTIONS)
        .into_iter()
        .flat_map(|c| {
            names
                .iter()
                .zip(&cuts)
                .filter(move |(_, k)| k.as_str() == c)
                .map(|(n, _)| *n)
        })
        .collect();
    // The whole name first; then names whose event part is alike (several vendors may share
    // an event name: each of them).
    for n in by_name.into_iter().map(str::to_string).chain(
        by_event
            .iter()
            .flat_map(|e| {
                names
                    .iter()
                    .filter(move |n| n.rsplit('/').next() == Some(*e))
            })
            .map(|n| n.to_string()),
    ) {
        if out.len() == SUGGESTIONS {
            break;
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[Fixture]) -> Vec<&str> {
        list.iter().map(|f| f.name.as_str()).collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn patterns_match_names_across_vendors() {
        let got = select(&strings(&["wemeet/meeting.*"]), &[]).unwrap();
        assert!(got.len() >= 5, "{:?}", names(&got));
        assert!(got.iter().all(|f| f.name.starts_with("wemeet/meeting.")));
        let got = select(&strings(&["*/url-verification"]), &[]).unwrap();
        assert_eq!(names(&got), ["wemeet/url-verification"]);
        let got = select(&strings(&["*/url?verification"]), &[]).unwrap();
        assert_eq!(
            names(&got),
            ["feishu/url_verification", "wemeet/url-verification"]
        );
        // A vendor alias in the vendor part; a character set.
        let got = select(&strings(&["lark/url_*"]), &[]).unwrap();
        assert_eq!(names(&got), ["feishu/url_verification"]);
        let got = select(&strings(&["wecom/[ce]*"]), &[]).unwrap();
        assert_eq!(
            names(&got),
            [
                "wecom/change_contact.create_user",
                "wecom/click",
                "wecom/echostr",
                "wecom/enter_agent"
            ]
        );
    }

    #[test]
    fn names_vendors_and_all_select_as_before() {
        assert_eq!(
            names(&select(&strings(&["wemeet/meeting.created"]), &[]).unwrap()),
            ["wemeet/meeting.created"]
        );
        assert_eq!(
            select(&strings(&["wemeet"]), &[]).unwrap(),
            resolve("wemeet").unwrap()
        );
        assert_eq!(select(&strings(&["all"]), &[]).unwrap(), bundled());
        let e = select(&strings(&["wemeet/meeting.creatd"]), &[]).unwrap_err();
        assert_eq!(e, resolve("wemeet/meeting.creatd").unwrap_err());
    }

    #[test]
    fn overlapping_specs_select_each_fixture_once_in_first_seen_order() {
        let wemeet = resolve("wemeet").unwrap();
        for specs in [
            &["wemeet", "wemeet"][..],
            &["wemeet", "wemeet/*"],
            &["wemeet", "tencent-meeting"],
            &["wemeet/*", "all"],
        ] {
            let got = select(&strings(specs), &[]).unwrap();
            let head: Vec<&str> = names(&got).into_iter().take(wemeet.len()).collect();
            assert_eq!(head, names(&wemeet), "{specs:?}");
            let mut sorted = names(&got);
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), got.len(), "{specs:?}: {:?}", names(&got));
        }
        assert_eq!(
            select(&strings(&["dingtalk", "dingtalk/*"]), &[]).unwrap(),
            resolve("dingtalk").unwrap()
        );
        // A fixture named before its vendor keeps its place.
        let got = select(&strings(&["wemeet/meeting.end", "wemeet"]), &[]).unwrap();
        assert_eq!(names(&got)[0], "wemeet/meeting.end");
        assert_eq!(got.len(), wemeet.len());
        assert_eq!(
            names(&got)
                .iter()
                .filter(|n| **n == "wemeet/meeting.end")
                .count(),
            1
        );
    }

    #[test]
    fn unique_keeps_a_file_once_however_spelled_but_not_a_lookalike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("created.json");
        let text = r#"{"vendor":"wemeet","event":"meeting.created","body":{"a":1}}"#;
        std::fs::write(&path, text).unwrap();
        let spelled = format!("{}/./created.json", dir.path().display());
        let a = Fixture::parse(&path.display().to_string(), text).unwrap();
        let b = Fixture::parse(&spelled, text).unwrap();
        assert_eq!(unique(vec![a.clone(), b, a.clone()]), vec![a.clone()]);
        // Another fixture at the same place (the file changed between reads) is kept.
        let c = Fixture::parse(
            &a.name,
            r#"{"vendor":"wemeet","event":"meeting.created","body":{"a":2}}"#,
        )
        .unwrap();
        assert_eq!(unique(vec![a.clone(), c.clone()]), vec![a, c]);
        let bundled = resolve("wemeet/meeting.created").unwrap();
        let twice = [bundled.clone(), bundled.clone()].concat();
        assert_eq!(unique(twice), bundled);
    }

    #[test]
    fn exclusions_take_fixtures_away() {
        let got = select(
            &strings(&["wemeet"]),
            &strings(&["*/url-verification", "wemeet/meeting.c*"]),
        )
        .unwrap();
        let got = names(&got);
        assert!(!got.contains(&"wemeet/url-verification"));
        assert!(!got.contains(&"wemeet/meeting.created"));
        assert!(!got.contains(&"wemeet/meeting.canceled"));
        assert!(got.contains(&"wemeet/meeting.started"));
        // A vendor excluded whole.
        let got = select(&strings(&["all"]), &strings(&["wechat", "tim"])).unwrap();
        assert!(got.iter().all(|f| {
            f.vendor != VendorId::named("wechat") && f.vendor != VendorId::named("tencent-im")
        }));
    }

    #[test]
    fn a_selector_that_matches_nothing_names_the_closest_fixtures() {
        let e = select(&strings(&["wemeet/meting.*"]), &[]).unwrap_err();
        assert_eq!(e.field(), "fixture");
        let text = e.to_string();
        assert!(
            text.contains("no fixture matches `wemeet/meting.*`"),
            "{text}"
        );
        assert!(
            text.contains("(closest: `wemeet/meeting.canceled`, `wemeet/meeting.created`, "),
            "{text}"
        );
        let e = select(&strings(&["*/url-verfication"]), &[]).unwrap_err();
        assert!(e.to_string().contains("`wemeet/url-verification`"), "{e}");
        let e = select(&strings(&["zzzz/qqqq*"]), &[]).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("no fixture matches `zzzz/qqqq*`; see `cbkit fixtures list`"),
            "{e}"
        );
        let e = select(&strings(&["dingtalk"]), &strings(&["*/url-verification"])).unwrap_err();
        assert_eq!(e.field(), "exclude");
        assert!(
            e.to_string()
                .contains("no selected fixture matches `*/url-verification`"),
            "{e}"
        );
        let e = select(&strings(&["wemeet/meeting.end"]), &strings(&["wemeet"])).unwrap_err();
        assert!(
            e.to_string().contains("excludes every selected fixture"),
            "{e}"
        );
        let e = select(&strings(&["wemeet/[meeting"]), &[]).unwrap_err();
        assert!(e.to_string().contains("not a valid pattern"), "{e}");
    }

    #[test]
    fn filtering_a_list_keeps_its_order_and_checks_each_selector() {
        let got = filter(
            bundled(),
            &strings(&["wemeet/meeting.end", "dingtalk/check_*"]),
            &[],
        )
        .unwrap();
        assert_eq!(
            names(&got),
            [
                "dingtalk/check_create_suite_url",
                "dingtalk/check_url",
                "wemeet/meeting.end"
            ]
        );
        assert_eq!(filter(bundled(), &[], &[]).unwrap(), bundled());
        assert!(filter(bundled(), &strings(&["wemeet/nope"]), &[]).is_err());
    }

    #[test]
    fn a_fixture_file_matches_by_the_vendor_and_event_it_declares() {
        let f = Fixture::parse(
            "my/dir/created.json",
            r#"{"vendor":"wemeet","event":"meeting.created","body":{}}"#,
        )
        .unwrap();
        for spec in [
            "wemeet/meeting.created",
            "wemeet/meeting.*",
            "my/dir/*.json",
            "wemeet",
        ] {
            assert!(Selector::parse(spec, "f").unwrap().matches(&f), "{spec}");
        }
        assert!(
            !Selector::parse("*/url-verification", "f")
                .unwrap()
                .matches(&f)
        );
    }
}
