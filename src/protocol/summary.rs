//! Vendor facts put into words for the command-line help: retry schedules, deadlines and
//! freshness windows, read from each vendor's own methods so the help cannot drift from them.

use std::cmp::Reverse;
use std::time::Duration;

use super::{Kind, VendorId};

/// Every vendor's retry schedule in one line, e.g. `Feishu: 15 s, 5 min, 1 h, 6 h; WeCom: 3
/// immediate; DingTalk, Tencent IM: none`. Vendors that retry come first, the one that waits
/// longest before its first retry leading; those that do not retry share one `none`.
pub fn retry_schedules() -> String {
    let mut vendors: Vec<(&str, &[Duration])> = VendorId::ALL
        .iter()
        .map(|id| {
            let v = id.vendor();
            (v.short_title(), v.retry_schedule().offsets)
        })
        .collect();
    vendors.sort_by_key(|(title, offsets)| {
        (
            offsets.is_empty(),
            Reverse(offsets.first().copied()),
            *title,
        )
    });
    let mut parts: Vec<String> = vendors
        .iter()
        .filter(|(_, offsets)| !offsets.is_empty())
        .map(|(title, offsets)| format!("{title}: {}", retry_phrase(offsets)))
        .collect();
    let none: Vec<&str> = vendors
        .iter()
        .filter(|(_, offsets)| offsets.is_empty())
        .map(|(title, _)| *title)
        .collect();
    if !none.is_empty() {
        parts.push(format!("{}: none", none.join(", ")));
    }
    parts.join("; ")
}

/// One schedule in words: `3 immediate`; `3 retries, 1, 3 and 6 minutes after the first failed
/// attempt` when every offset is in one unit; otherwise each offset with its unit.
fn retry_phrase(offsets: &[Duration]) -> String {
    if offsets.iter().all(Duration::is_zero) {
        return format!("{} immediate", offsets.len());
    }
    let units: Vec<(u64, Unit)> = offsets.iter().map(|d| in_unit(*d)).collect();
    let unit = units[0].1;
    if units.len() > 1 && units.iter().all(|(_, u)| *u == unit) {
        let numbers: Vec<String> = units.iter().map(|(n, _)| n.to_string()).collect();
        let (last, rest) = numbers.split_last().expect("more than one offset");
        format!(
            "{} retries, {} and {last} {} after the first failed attempt",
            numbers.len(),
            rest.join(", "),
            unit.word()
        )
    } else {
        units
            .iter()
            .map(|(n, u)| format!("{n} {}", u.symbol()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Ms,
    S,
    Min,
    H,
}

impl Unit {
    fn symbol(self) -> &'static str {
        match self {
            Unit::Ms => "ms",
            Unit::S => "s",
            Unit::Min => "min",
            Unit::H => "h",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Unit::Ms => "milliseconds",
            Unit::S => "seconds",
            Unit::Min => "minutes",
            Unit::H => "hours",
        }
    }
}

/// A duration in the largest unit that holds it whole.
fn in_unit(d: Duration) -> (u64, Unit) {
    let ms = d.as_millis() as u64;
    [(3_600_000, Unit::H), (60_000, Unit::Min), (1000, Unit::S)]
        .into_iter()
        .find(|(size, _)| ms > 0 && ms.is_multiple_of(*size))
        .map_or((ms, Unit::Ms), |(size, unit)| (ms / size, unit))
}

/// A deadline or window as documented: whole seconds, else milliseconds.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The deadlines of the first vendor whose deadline depends on the kind of request, e.g.
/// `Tencent Meeting: 3 s GET, 5 s POST` (a handshake that arrives as GET names its kind so).
pub fn example_deadlines() -> String {
    let varies = |id: &&VendorId| {
        let v = id.vendor();
        v.deadline(Kind::Handshake, b"") != v.deadline(Kind::Event, b"")
    };
    let Some(v) = VendorId::ALL.iter().find(varies).map(|id| id.vendor()) else {
        return String::new();
    };
    let method = |kind: Kind| {
        if v.kind(true, b"") == kind {
            "GET"
        } else {
            "POST"
        }
    };
    format!(
        "{}: {} {}, {} {}",
        v.short_title(),
        seconds(v.deadline(Kind::Handshake, b"")),
        method(Kind::Handshake),
        seconds(v.deadline(Kind::Event, b"")),
        method(Kind::Event)
    )
}

/// The documented freshness windows, e.g. `Tencent IM 60 s; none for the others`.
pub fn freshness_windows() -> String {
    let windows: Vec<String> = VendorId::ALL
        .iter()
        .filter_map(|id| {
            let v = id.vendor();
            v.max_skew()
                .map(|w| format!("{} {}", v.short_title(), seconds(w)))
        })
        .collect();
    if windows.len() < VendorId::ALL.len() {
        format!("{}; none for the others", windows.join(", "))
    } else {
        windows.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_in_words() {
        let s = Duration::from_secs;
        assert_eq!(retry_phrase(&[s(0), s(0), s(0)]), "3 immediate");
        assert_eq!(
            retry_phrase(&[s(60), s(180), s(360)]),
            "3 retries, 1, 3 and 6 minutes after the first failed attempt"
        );
        assert_eq!(
            retry_phrase(&[s(15), s(300), s(3600), s(21600)]),
            "15 s, 5 min, 1 h, 6 h"
        );
        assert_eq!(retry_phrase(&[Duration::from_millis(1500)]), "1500 ms");
        assert_eq!(seconds(Duration::from_secs(60)), "60 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1500 ms");
    }

    #[test]
    fn the_help_facts_come_from_the_vendors() {
        assert_eq!(
            retry_schedules(),
            "Tencent Meeting: 3 retries, 1, 3 and 6 minutes after the first failed attempt; \
             Feishu: 15 s, 5 min, 1 h, 6 h; WeChat: 3 immediate; WeCom: 3 immediate; DingTalk, Tencent IM: none"
        );
        assert_eq!(example_deadlines(), "Tencent Meeting: 3 s GET, 5 s POST");
        assert_eq!(freshness_windows(), "Tencent IM 60 s; none for the others");
    }

    // Pins found by mutation testing (scripts/mutants.sh).

    #[test]
    fn a_zero_offset_among_others_is_zero_milliseconds() {
        let s = Duration::from_secs;
        assert_eq!(retry_phrase(&[s(0), s(60)]), "0 ms, 1 min");
    }
}
