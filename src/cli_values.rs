//! Value parsers and computed help texts of the command-line model (src/cli.rs): the parts
//! that are more than a list, kept apart so the model reads as the command contract.

use cbkit::protocol::{VendorId, summary};

use super::REPLAY_EXAMPLES;

/// Fixture names for completion; any other text (a file, a directory) is accepted as is.
#[derive(Clone)]
pub struct FixtureNameParser;

impl clap::builder::TypedValueParser for FixtureNameParser {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        let names = cbkit::fixture::bundled()
            .into_iter()
            .map(|f| clap::builder::PossibleValue::new(f.name));
        // `all` and every vendor (all its fixtures), from the id table.
        let groups = std::iter::once("all")
            .chain(cbkit::protocol::id::TABLE.iter().map(|e| e.name))
            .map(clap::builder::PossibleValue::new);
        Some(Box::new(groups.chain(names)))
    }
}

/// `-H 'Name: value'` (curl's and xh's spelling; `Name:` removes a header, `Name;` sends it
/// empty). clap names the flag in the error.
pub fn parse_header(s: &str) -> Result<cbkit::client::HeaderEdit, String> {
    cbkit::client::HeaderEdit::parse("header", s).map_err(|e| match e {
        cbkit::Error::Malformed { detail, .. } => detail,
        other => other.to_string(),
    })
}

/// Vendor names from the id table: any name or alias in any letter case; help and completions
/// list the canonical names and the shown aliases.
pub fn vendor_parser() -> VendorParser {
    VendorParser
}

#[derive(Clone)]
pub struct VendorParser;

impl VendorParser {
    fn listed() -> clap::builder::PossibleValuesParser {
        use clap::builder::PossibleValue;
        // Hidden aliases ride on their canonical name, so help and completions list only the shown.
        clap::builder::PossibleValuesParser::new(cbkit::protocol::id::TABLE.iter().flat_map(|e| {
            std::iter::once(PossibleValue::new(e.name).aliases(e.hidden_aliases.iter().copied()))
                .chain(e.shown_aliases.iter().map(|a| PossibleValue::new(*a)))
        }))
    }
}

impl clap::builder::TypedValueParser for VendorParser {
    type Value = VendorId;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<VendorId, clap::Error> {
        if let Some(v) = value.to_str().and_then(VendorId::lookup) {
            return Ok(v);
        }
        // Not a vendor: clap's own "invalid value … [possible values: …]" error, with a tip
        // when a name is close.
        let mut err = match Self::listed().parse_ref(cmd, arg, value) {
            Err(e) => e,
            Ok(_) => clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd),
        };
        if let Some(close) = value
            .to_str()
            .and_then(|v| cbkit::suggest::closest(v, VendorId::all_names()))
        {
            err.insert(
                clap::error::ContextKind::SuggestedValue,
                clap::error::ContextValue::String(close.to_string()),
            );
        }
        Err(err)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Self::listed()
                .possible_values()?
                .collect::<Vec<_>>()
                .into_iter(),
        ))
    }
}

/// Parse `500ms`, `1.5s`, `2m`, `1h`, or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (e.g. 500ms, 6s, 1m)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("`{s}`: unknown unit `{unit}` (use ms, s, m or h)")),
    };
    if !(secs.is_finite() && secs >= 0.0) {
        return Err(format!("`{s}` is not a duration"));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// Parse a `--max-skew` window: a duration, or `off`.
pub fn parse_skew(s: &str) -> Result<cbkit::protocol::SkewWindow, String> {
    if s.trim().eq_ignore_ascii_case("off") {
        return Ok(cbkit::protocol::SkewWindow::Off);
    }
    parse_duration(s).map(cbkit::protocol::SkewWindow::Within)
}

/// Parse `1048576`, `64KiB`, `1MiB`, `1MB`.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let i = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let n: usize = s[..i]
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 1MiB)"))?;
    let mult = match s[i..].to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        other => return Err(format!("`{s}`: unknown unit `{other}` (use KiB or MiB)")),
    };
    Ok(n * mult)
}

/// Parse `--time-scale`: a finite number above 0.
pub(super) fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f > 0.0 && f.is_finite() => Ok(f),
        _ => Err(format!("`{s}` must be a number above 0 (e.g. 0.01)")),
    }
}

/// Replay's examples, then how it retries: each vendor's schedule, from the vendor.
pub(super) fn replay_after_help() -> String {
    format!(
        "{REPLAY_EXAMPLES}\n\nRetries: the vendor's schedule by default ({}).\n\
         Each retry carries the same event (same ids) with a fresh timestamp, nonce and signature.\n\
         Ctrl-C or SIGTERM stops at once, writes the summary, --json and --report so far, and exits 130.",
        summary::retry_schedules()
    )
}

/// `--max-skew`'s help: each vendor's documented window, from the vendor.
pub(super) fn max_skew_help() -> String {
    format!(
        "Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor's documented window: {})",
        summary::freshness_windows()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_take_a_unit_or_seconds() {
        for (text, want) in [
            ("500ms", Some(Duration::from_millis(500))),
            ("1.5s", Some(Duration::from_millis(1500))),
            ("2m", Some(Duration::from_secs(120))),
            ("2min", Some(Duration::from_secs(120))),
            ("1h", Some(Duration::from_secs(3600))),
            (" 6 ", Some(Duration::from_secs(6))),
            ("6d", None),
            ("-1s", None),
            ("inf", None),
            ("soon", None),
        ] {
            assert_eq!(parse_duration(text).ok(), want, "{text}");
        }
    }

    #[test]
    fn skew_is_a_duration_or_off() {
        use cbkit::protocol::SkewWindow;
        assert!(matches!(parse_skew("OFF"), Ok(SkewWindow::Off)));
        assert!(matches!(parse_skew("5m"), Ok(SkewWindow::Within(d)) if d.as_secs() == 300));
        assert!(parse_skew("never").is_err());
    }

    #[test]
    fn sizes_take_binary_units() {
        for (text, want) in [
            ("1048576", Some(1 << 20)),
            ("64KiB", Some(64 << 10)),
            ("1MiB", Some(1 << 20)),
            ("1mb", Some(1 << 20)),
            ("2b", Some(2)),
            ("1GiB", None),
            ("lots", None),
        ] {
            assert_eq!(parse_size(text).ok(), want, "{text}");
        }
    }

    #[test]
    fn time_scale_is_a_positive_finite_number() {
        assert_eq!(parse_scale("0.01"), Ok(0.01));
        for bad in ["0", "-1", "inf", "NaN", "fast"] {
            assert!(parse_scale(bad).is_err(), "{bad}");
        }
    }
}
