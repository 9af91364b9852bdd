//! "Did you mean …?" for names a user types: vendors, fixtures, profiles (clap does the
//! subcommands and flags itself, with the same measure).

/// How alike two names must be (Jaro similarity, as clap uses for its own suggestions).
const THRESHOLD: f64 = 0.7;

/// The candidate most like `input`, if one is alike enough. Case is ignored.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro(&input, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Up to `n` candidates alike enough to `input`, the most alike first (ties keep the
/// candidates' order). Case is ignored.
pub fn closest_n<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let input = input.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro(&input, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > THRESHOLD)
        .collect();
    // Stable: equal scores stay in the candidates' order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// ` (did you mean `NAME`?)` or nothing, to follow the unknown name in an error message.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(input, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_name_and_nonsense_finds_none() {
        let vendors = ["wemeet", "tencent-im", "dingtalk", "wecom", "feishu"];
        assert_eq!(closest("wemet", vendors), Some("wemeet"));
        assert_eq!(closest("DingTak", vendors), Some("dingtalk"));
        assert_eq!(closest("fieshu", vendors), Some("feishu"));
        assert_eq!(closest("zzzzzz", vendors), None);
        assert_eq!(did_you_mean("zzzzzz", vendors), "");
        assert_eq!(did_you_mean("wecon", vendors), " (did you mean `wecom`?)");
    }

    #[test]
    fn several_close_names_come_best_first_and_at_most_n() {
        let names = [
            "meeting.created",
            "meeting.end",
            "recording.completed",
            "zzz",
        ];
        assert_eq!(
            closest_n("meeting.create", names, 2),
            ["meeting.created", "meeting.end"]
        );
        assert_eq!(closest_n("meeting.create", names, 1), ["meeting.created"]);
        assert!(closest_n("qqqqqqqq", names, 3).is_empty());
    }
}
