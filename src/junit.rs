//! JUnit XML for `replay --report`, one test case per delivery, so a CI system shows each
//! fixture as a test. Written with quick-junit (the writer cargo-nextest uses), which escapes
//! text, drops what XML 1.0 cannot carry and keeps the counts consistent with the cases.
//!
//! - a delivery whose answers the vendor would reject is a `<failure>`;
//! - one that never got an answer (connection refused, no answer within the deadline, TLS) or
//!   that the run was interrupted before it finished is an `<error>`;
//! - a delivery accepted after retries keeps its attempt timeline in `<system-out>`.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::delivery::Delivered;
use crate::error::{Error, Result};
use crate::replay::Attempt;

/// The report for `results`, as a JUnit XML document.
pub fn report(results: &[Delivered]) -> Result<String> {
    let mut suite = TestSuite::new("cbkit replay");
    let mut total = Duration::ZERO;
    for r in results {
        let time = span(&r.attempts);
        total += time;
        suite.add_test_case(case(r, time));
    }
    suite.set_time(total);
    let mut report = Report::new("cbkit replay");
    report.set_time(total);
    report.add_test_suite(suite);
    let xml = report
        .to_string()
        .map_err(|e| Error::malformed("report", format!("cannot write the JUnit XML: {e}")))?;
    Ok(without_root_skipped(xml))
}

/// One delivery as a test case.
fn case(r: &Delivered, time: Duration) -> TestCase {
    let tries = attempts(r.attempts.len());
    let timeline = timeline(&r.attempts);
    let status = if r.accepted {
        TestCaseStatus::success()
    } else {
        let reason = r.attempts.last().map(|a| a.reason.as_str()).unwrap_or("");
        let no_answer = r.attempts.last().is_some_and(|a| a.status.is_none());
        let (kind, ty, message) = if r.interrupted && r.attempts.is_empty() {
            (
                NonSuccessKind::Error,
                "interrupted",
                "interrupted before the first attempt".to_string(),
            )
        } else if r.interrupted {
            (
                NonSuccessKind::Error,
                "interrupted",
                format!("interrupted after {tries}: {reason}"),
            )
        } else if no_answer {
            (
                NonSuccessKind::Error,
                "no answer",
                format!("no answer after {tries}: {reason}"),
            )
        } else {
            (
                NonSuccessKind::Failure,
                "rejected",
                format!("not accepted after {tries}: {reason}"),
            )
        };
        let mut s = TestCaseStatus::non_success(kind);
        s.set_type(ty).set_message(message);
        if !timeline.is_empty() {
            s.set_description(timeline.clone());
        }
        s
    };
    let mut case = TestCase::new(r.name.as_str(), status);
    case.set_classname(r.vendor.name()).set_time(time);
    if r.accepted && r.attempts.len() > 1 {
        case.set_system_out(timeline);
    }
    case
}

/// `1 attempt`, `2 attempts`.
fn attempts(n: usize) -> String {
    format!("{n} attempt{}", if n == 1 { "" } else { "s" })
}

/// From the delivery's start to its last answer (retry waits included), in real time.
fn span(attempts: &[Attempt]) -> Duration {
    let ms = attempts.last().map_or(0.0, |a| a.sent_at_ms + a.latency_ms);
    Duration::try_from_secs_f64(ms / 1000.0).unwrap_or_default()
}

/// One line per attempt: when it went out, what came back and how the vendor judges it.
fn timeline(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(|a| {
            let answer = match a.status {
                Some(s) => format!("HTTP {s} in {:.1} ms", a.latency_ms),
                None => format!("no answer ({:.1} ms)", a.latency_ms),
            };
            let verdict = if a.accepted {
                "accepted".to_string()
            } else {
                format!("not accepted: {}", a.reason)
            };
            format!(
                "#{} at +{:.3}s: {answer}, {verdict}",
                a.attempt,
                a.sent_at_ms / 1000.0
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// quick-junit counts skipped tests on `<testsuites>` too, an attribute the Jenkins JUnit
/// schemas (junit-4.xsd, junit-10.xsd) do not declare there; replay never skips a delivery, so
/// the attribute is dropped from the root tag and a validating CI server accepts the file.
fn without_root_skipped(xml: String) -> String {
    let Some(start) = xml.find("<testsuites") else {
        return xml;
    };
    let end = xml[start..].find('>').map_or(xml.len(), |i| start + i);
    let tag = &xml[start..end];
    match tag.find(" skipped=\"") {
        Some(at) => {
            let value_end = tag[at + 10..]
                .find('"')
                .map_or(tag.len(), |i| at + 10 + i + 1);
            format!("{}{}{}", &xml[..start + at], &tag[value_end..], &xml[end..])
        }
        None => xml,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::VendorId;

    fn attempt(n: u32, status: Option<u16>, accepted: bool, reason: &str) -> Attempt {
        Attempt {
            attempt: n,
            scheduled_offset_ms: 0,
            scheduled_at_ms: 0.0,
            sent_at_ms: f64::from(n - 1) * 600.0,
            latency_ms: 250.0,
            status,
            accepted,
            reason: reason.into(),
        }
    }

    fn delivered(name: &str, accepted: bool, attempts: Vec<Attempt>) -> Delivered {
        Delivered {
            name: name.into(),
            vendor: VendorId::named("dingtalk"),
            accepted,
            attempts,
            interrupted: false,
        }
    }

    fn cases(xml: &str) -> Vec<roxmltree::Node<'_, '_>> {
        let doc = Box::leak(Box::new(roxmltree::Document::parse(xml).expect("XML")));
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect()
    }

    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
        n.children().find(|c| c.has_tag_name(tag))
    }

    #[test]
    fn rejected_answers_are_failures_and_missing_answers_errors() {
        let results = vec![
            delivered(
                "dingtalk/<odd> & \"name\"",
                false,
                vec![
                    attempt(1, Some(500), false, "HTTP 500"),
                    attempt(2, Some(403), false, "HTTP 403\u{7}"),
                ],
            ),
            delivered(
                "dingtalk/check_url",
                false,
                vec![attempt(
                    1,
                    None,
                    false,
                    "connection refused: nothing listens at that address",
                )],
            ),
        ];
        let xml = report(&results).unwrap();
        assert!(!xml.contains("Some("), "{xml}");
        assert!(!xml.contains("None"), "{xml}");
        let cs = cases(&xml);
        assert_eq!(cs[0].attribute("name"), Some("dingtalk/<odd> & \"name\""));
        assert_eq!(cs[0].attribute("classname"), Some("dingtalk"));
        assert_eq!(cs[0].attribute("time"), Some("0.850"));
        let failure = child(cs[0], "failure").expect("a rejected answer is a failure");
        assert_eq!(
            failure.attribute("message"),
            Some("not accepted after 2 attempts: HTTP 403")
        );
        assert_eq!(
            failure.text(),
            Some(
                "#1 at +0.000s: HTTP 500 in 250.0 ms, not accepted: HTTP 500\n\
                 #2 at +0.600s: HTTP 403 in 250.0 ms, not accepted: HTTP 403"
            )
        );
        let error = child(cs[1], "error").expect("no answer is an error");
        assert_eq!(
            error.attribute("message"),
            Some("no answer after 1 attempt: connection refused: nothing listens at that address")
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        assert_eq!(root.attribute("skipped"), None);
        assert_eq!(root.attribute("failures"), Some("1"));
        assert_eq!(root.attribute("errors"), Some("1"));
    }

    #[test]
    fn accepted_after_retries_keeps_its_timeline() {
        let results = vec![
            delivered(
                "dingtalk/check_url",
                true,
                vec![
                    attempt(1, Some(500), false, "HTTP 500"),
                    attempt(2, Some(200), true, "accepted"),
                ],
            ),
            delivered(
                "dingtalk/user_add_org",
                true,
                vec![attempt(1, Some(200), true, "accepted")],
            ),
        ];
        let xml = report(&results).unwrap();
        let cs = cases(&xml);
        assert!(child(cs[0], "failure").is_none());
        assert_eq!(
            child(cs[0], "system-out").and_then(|n| n.text()),
            Some(
                "#1 at +0.000s: HTTP 500 in 250.0 ms, not accepted: HTTP 500\n\
                 #2 at +0.600s: HTTP 200 in 250.0 ms, accepted"
            )
        );
        assert!(
            child(cs[1], "system-out").is_none(),
            "one attempt: nothing to tell"
        );
    }

    #[test]
    fn interrupted_deliveries_are_errors() {
        let mut started = delivered("a", false, vec![attempt(1, Some(500), false, "HTTP 500")]);
        started.interrupted = true;
        let mut waiting = delivered("b", false, vec![]);
        waiting.interrupted = true;
        let xml = report(&[started, waiting]).unwrap();
        let cs = cases(&xml);
        let e = child(cs[0], "error").unwrap();
        assert_eq!(e.attribute("type"), Some("interrupted"));
        assert_eq!(
            e.attribute("message"),
            Some("interrupted after 1 attempt: HTTP 500")
        );
        assert_eq!(
            child(cs[1], "error").unwrap().attribute("message"),
            Some("interrupted before the first attempt")
        );
    }

    #[test]
    fn the_root_skipped_attribute_is_dropped_and_nothing_else() {
        let xml = "<?xml?>\n<testsuites name=\"x\" tests=\"1\" skipped=\"0\" failures=\"0\">\n<testsuite skipped=\"0\"/>\n</testsuites>".to_string();
        assert_eq!(
            without_root_skipped(xml),
            "<?xml?>\n<testsuites name=\"x\" tests=\"1\" failures=\"0\">\n<testsuite skipped=\"0\"/>\n</testsuites>"
        );
    }
}
