//! JUnit XML for `replay --report`: one test case per delivery, failed when not accepted, so a
//! CI system shows each fixture as a test.

use crate::delivery::Delivered;

/// The report for `results`, as a JUnit XML document.
pub fn report(results: &[Delivered]) -> String {
    let failures = results.iter().filter(|r| !r.accepted).count();
    let total_ms: f64 = results
        .iter()
        .flat_map(|r| &r.attempts)
        .map(|a| a.latency_ms)
        .sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{}\" failures=\"{failures}\">\n  <testsuite name=\"cbkit replay\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">\n",
        results.len(),
        results.len(),
        total_ms / 1000.0
    );
    for r in results {
        let time: f64 = r.attempts.iter().map(|a| a.latency_ms).sum::<f64>() / 1000.0;
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{time:.3}\">\n",
            xml_escape(r.vendor.name()),
            xml_escape(&r.name)
        ));
        if !r.accepted {
            let last = r
                .attempts
                .last()
                .map(|a| a.reason.clone())
                .unwrap_or_default();
            out.push_str(&format!(
                "      <failure message=\"{}\">{}</failure>\n",
                xml_escape(&format!(
                    "not accepted after {} attempts: {last}",
                    r.attempts.len()
                )),
                xml_escape(
                    &r.attempts
                        .iter()
                        .map(|a| format!("#{} status {:?}: {}", a.attempt, a.status, a.reason))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escape text for an XML attribute or element. Control characters other than newline and tab
/// are dropped: XML 1.0 cannot carry them at all, and a receiver's reply may contain any byte.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::VendorId;
    use crate::replay::Attempt;

    fn attempt(n: u32, status: Option<u16>, accepted: bool, reason: &str) -> Attempt {
        Attempt {
            attempt: n,
            scheduled_offset_ms: 0,
            scheduled_at_ms: 0.0,
            sent_at_ms: 0.0,
            latency_ms: 250.0,
            status,
            accepted,
            reason: reason.into(),
        }
    }

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            xml_escape("a<b>&\"c\"'d'"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
        assert_eq!(xml_escape("x\u{1b}[31m\u{0}y\n\tz"), "x[31my\n\tz");
        assert_eq!(xml_escape("飞书"), "飞书");
    }

    #[test]
    fn one_case_per_delivery_and_failures_counted() {
        let results = vec![
            Delivered {
                name: "wemeet/meeting.created".into(),
                vendor: VendorId::Wemeet,
                accepted: true,
                attempts: vec![attempt(1, Some(200), true, "accepted")],
            },
            Delivered {
                name: "dingtalk/<odd> & \"name\"".into(),
                vendor: VendorId::Dingtalk,
                accepted: false,
                attempts: vec![
                    attempt(1, Some(500), false, "HTTP 500"),
                    attempt(2, None, false, "connection refused\u{7}"),
                ],
            },
        ];
        let xml = report(&results);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(suite.attribute("tests"), Some("2"));
        assert_eq!(suite.attribute("failures"), Some("1"));
        assert_eq!(suite.attribute("time"), Some("0.750"));
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), 2);
        assert_eq!(
            cases[1].attribute("name"),
            Some("dingtalk/<odd> & \"name\"")
        );
        assert_eq!(cases[1].attribute("classname"), Some("dingtalk"));
        let failure = cases[1]
            .children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(
            failure.attribute("message"),
            Some("not accepted after 2 attempts: connection refused")
        );
        assert_eq!(
            failure.text(),
            Some("#1 status Some(500): HTTP 500\n#2 status None: connection refused")
        );
        assert!(cases[0].children().all(|n| !n.has_tag_name("failure")));
    }
}
