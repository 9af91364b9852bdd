//! `--events TYPE,…`: the event types `listen` prints and records and `replay` sends. A type is
//! the vendor's own event field (see `Vendor::event_type`), compared exactly or as a
//! shell-style pattern (`meeting.*`).
//!
//! A request whose type cannot be read (a URL-verification handshake that carries none, a body
//! that could not be opened, a request no vendor claims) is always let through: the filter
//! narrows the flow of events, it never hides a request that failed or that the receiver could
//! not read.

use crate::error::{Error, Result};

/// A compiled `--events` list.
#[derive(Debug, Clone)]
pub struct EventFilter {
    types: Vec<(String, glob::Pattern)>,
}

impl EventFilter {
    /// Compile the types given (`--events` split at commas); `None` when there are none, so
    /// every request passes. Blank entries are skipped.
    pub fn new(types: &[String]) -> Result<Option<EventFilter>> {
        let types = types
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| {
                glob::Pattern::new(t)
                    .map(|p| (t.to_string(), p))
                    .map_err(|e| {
                        Error::malformed("events", format!("`{t}` is not a valid pattern: {e}"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((!types.is_empty()).then_some(EventFilter { types }))
    }

    /// Whether a request that goes by the type names `names` passes: one of them matches one
    /// of the filter's types, or it goes by none (its type could not be read).
    pub fn admits(&self, names: &[&str]) -> bool {
        names.is_empty() || names.iter().any(|n| self.matching(n).next().is_some())
    }

    /// [`Self::admits`] for a request of one type, or of none that could be read.
    pub fn admits_type(&self, event_type: Option<&str>) -> bool {
        self.admits(event_type.as_slice())
    }

    /// The filter's types as given, each with whether any of `names` matches it.
    pub fn used_by<'a>(&'a self, names: &[&str]) -> Vec<(&'a str, bool)> {
        self.types
            .iter()
            .map(|(t, p)| (t.as_str(), names.iter().any(|n| p.matches(n))))
            .collect()
    }

    fn matching<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.types
            .iter()
            .filter(move |(_, p)| p.matches(name))
            .map(|(t, _)| t.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(types: &[&str]) -> EventFilter {
        let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        EventFilter::new(&types).unwrap().unwrap()
    }

    #[test]
    fn names_match_exactly_or_by_pattern() {
        let f = filter(&["meeting.created", "recording.*"]);
        assert!(f.admits(&["meeting.created"]));
        assert!(f.admits(&["recording.completed"]));
        assert!(!f.admits(&["meeting.end"]));
        assert!(!f.admits(&["Meeting.Created"]));
        // Any of the names a delivery goes by.
        assert!(f.admits(&["check_url", "meeting.created"]));
    }

    #[test]
    fn a_request_whose_type_cannot_be_read_passes() {
        let f = filter(&["meeting.created"]);
        assert!(f.admits(&[]));
        assert!(f.admits_type(None));
        assert!(f.admits_type(Some("meeting.created")));
        assert!(!f.admits_type(Some("meeting.end")));
    }

    #[test]
    fn no_types_is_no_filter_and_a_bad_pattern_is_an_error() {
        assert!(EventFilter::new(&[]).unwrap().is_none());
        assert!(
            EventFilter::new(&[" ".into(), String::new()])
                .unwrap()
                .is_none()
        );
        let e = EventFilter::new(&["[meeting".into()]).unwrap_err();
        assert_eq!(e.field(), "events");
    }

    #[test]
    fn used_by_tells_which_types_matched() {
        let f = filter(&["a", "b*"]);
        assert_eq!(f.used_by(&["bc", "x"]), [("a", false), ("b*", true)]);
    }
}
