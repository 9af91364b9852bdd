//! `--set path=value` and `--set-json path=JSON`: editing a fixture's JSON body before it is
//! sealed, with paths that must exist so that a typo is an error, not a new key.

use crate::error::{Error, Result};

/// Apply `path=value` (`--set`) to a JSON document; the value is JSON when it parses, else a
/// string. The path must exist, or its last part must be a new key of an object: anything else
/// is an error naming the longest prefix that exists, so a mistyped path never lands quietly
/// somewhere else. `payload[0].x`, `payload.0.x` and `/payload/0/x` are the same path.
pub fn apply_set(doc: &mut serde_json::Value, set: &str) -> Result<()> {
    use serde_json::Value;
    let (path, value) = set
        .split_once('=')
        .ok_or_else(|| Error::malformed("set", format!("`{set}` is not path=value")))?;
    let value: Value =
        serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    let parts = path_parts(path)?;
    if parts.is_empty() {
        return Err(Error::malformed("set", format!("`{set}`: empty path")));
    }
    let missing = |shown: &str, what: String| {
        let prefix = if shown.is_empty() {
            "the body itself".to_string()
        } else {
            format!("`{shown}`")
        };
        Error::malformed(
            "set",
            format!("`{path}` does not exist: the longest existing prefix is {prefix}, {what}"),
        )
    };
    let mut shown = String::new();
    let mut cur = doc;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Object(o) => {
                if !last && !o.contains_key(part.as_str()) {
                    let keys = o.keys().take(8).cloned().collect::<Vec<_>>().join(", ");
                    let keys = if o.len() > 8 {
                        format!("{keys}, …")
                    } else {
                        keys
                    };
                    let has = if o.is_empty() {
                        "an empty object".to_string()
                    } else {
                        format!("an object with keys {keys}")
                    };
                    return Err(missing(
                        &shown,
                        format!("{has} (only the path's last part may be a new key)"),
                    ));
                }
                if !shown.is_empty() {
                    shown.push('.');
                }
                shown.push_str(part);
                o.entry(part.clone()).or_insert(Value::Null)
            }
            Value::Array(a) => {
                let len = a.len();
                let items = format!("an array of {len} item{}", if len == 1 { "" } else { "s" });
                let Ok(idx) = part.parse::<usize>() else {
                    return Err(missing(
                        &shown,
                        format!("{items}: `{part}` is not an index"),
                    ));
                };
                match a.get_mut(idx) {
                    Some(v) => {
                        shown.push_str(&format!("[{idx}]"));
                        v
                    }
                    None => return Err(missing(&shown, format!("{items}: there is no [{idx}]"))),
                }
            }
            other => {
                let kind = match other {
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    Value::Bool(_) => "a boolean",
                    _ => "null",
                };
                return Err(missing(&shown, format!("{kind}, which holds no `{part}`")));
            }
        };
    }
    *cur = value;
    Ok(())
}

/// A `--set` path's parts: keys and indexes split at `.` and `/`, and `[N]` brackets.
fn path_parts(path: &str) -> Result<Vec<String>> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = path.chars();
    let flush = |part: &mut String, parts: &mut Vec<String>| {
        if !part.is_empty() {
            parts.push(std::mem::take(part));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' | '/' => flush(&mut part, &mut parts),
            '[' => {
                flush(&mut part, &mut parts);
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                let idx = inner.trim();
                if idx.is_empty() || !closed {
                    return Err(Error::malformed(
                        "set",
                        format!("`{path}`: `[` needs an index and a closing `]`, e.g. payload[0]"),
                    ));
                }
                parts.push(idx.to_string());
            }
            c => part.push(c),
        }
    }
    flush(&mut part, &mut parts);
    Ok(parts)
}

/// The `--set` list to render with: `sets`, then each `--set-json path=JSON` once its value is
/// checked to be JSON (`--set` reads a value as JSON when it parses, so the two then agree).
pub fn with_set_json(sets: &[String], set_json: &[String]) -> Result<Vec<String>> {
    let mut out = sets.to_vec();
    for arg in set_json {
        let (_, value) = arg
            .split_once('=')
            .ok_or_else(|| Error::malformed("set-json", format!("`{arg}` is not path=JSON")))?;
        serde_json::from_str::<serde_json::Value>(value).map_err(|e| {
            Error::malformed(
                "set-json",
                format!("`{arg}`: the value is not JSON ({e}); for text, use --set"),
            )
        })?;
        out.push(arg.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_paths() {
        let mut v = serde_json::json!({"payload":[{"meeting_info":{"subject":"x"}}]});
        apply_set(&mut v, "payload.0.meeting_info.subject=Hello").unwrap();
        apply_set(&mut v, "/payload/0/meeting_info/meeting_type=1").unwrap();
        apply_set(&mut v, "payload[0].meeting_info.new_key=true").unwrap();
        assert_eq!(v["payload"][0]["meeting_info"]["subject"], "Hello");
        assert_eq!(v["payload"][0]["meeting_info"]["meeting_type"], 1);
        assert_eq!(v["payload"][0]["meeting_info"]["new_key"], true);
        assert!(apply_set(&mut v, "payload.5.x=1").is_err());
        assert!(apply_set(&mut v, "novalue").is_err());
    }

    #[test]
    fn bracket_and_dot_paths_are_the_same_path() {
        let doc = serde_json::json!({"payload":[{"meeting_info":{"subject":"x"}}],"a":{"0":1}});
        for path in [
            "payload[0].meeting_info.subject",
            "payload.0.meeting_info.subject",
            "/payload/0/meeting_info/subject",
            "payload[ 0 ].meeting_info.subject",
        ] {
            let mut v = doc.clone();
            apply_set(&mut v, &format!("{path}=Hi")).unwrap();
            assert_eq!(v["payload"][0]["meeting_info"]["subject"], "Hi", "{path}");
            assert_eq!(v["payload"].as_array().unwrap().len(), 1, "{path}");
        }
        // On an object, a bracket names the key.
        let mut v = doc.clone();
        apply_set(&mut v, "a[0]=2").unwrap();
        assert_eq!(v["a"]["0"], 2);
        assert_eq!(
            path_parts("a[1][2].b/c").unwrap(),
            ["a", "1", "2", "b", "c"]
        );
        assert!(path_parts("a[1").is_err());
        assert!(path_parts("a[]").is_err());
    }

    #[test]
    fn a_path_that_does_not_exist_names_its_longest_existing_prefix() {
        let doc = serde_json::json!({"payload":[{"meeting_info":{"subject":"x"}}],"n":1});
        let err = |set: &str| {
            let mut v = doc.clone();
            let e = apply_set(&mut v, set).unwrap_err();
            assert_eq!(v, doc, "{set} changed the document");
            assert_eq!(e.field(), "set");
            e.to_string()
        };
        let e = err("payload[0].meeting_inf.subject=Hi");
        assert!(
            e.contains("`payload[0].meeting_inf.subject` does not exist: the longest existing prefix is `payload[0]`, an object with keys meeting_info"),
            "{e}"
        );
        let e = err("payload.meeting_info.subject=Hi");
        assert!(
            e.contains("prefix is `payload`, an array of 1 item: `meeting_info` is not an index"),
            "{e}"
        );
        let e = err("payload[3].x=1");
        assert!(
            e.contains("`payload`, an array of 1 item: there is no [3]"),
            "{e}"
        );
        let e = err("extra.deep=true");
        assert!(
            e.contains("prefix is the body itself, an object with keys payload, n"),
            "{e}"
        );
        let e = err("n.x=1");
        assert!(
            e.contains("prefix is `n`, a number, which holds no `x`"),
            "{e}"
        );
        let e = err("payload[0].meeting_info.subject.x=1");
        assert!(
            e.contains("`payload[0].meeting_info.subject`, a string"),
            "{e}"
        );
        // A new key of an existing object is fine; so is replacing a whole value.
        let mut v = doc.clone();
        apply_set(&mut v, "extra=1").unwrap();
        apply_set(&mut v, "payload[0]={\"a\":1}").unwrap();
        assert_eq!(v["extra"], 1);
        assert_eq!(v["payload"][0]["a"], 1);
    }

    #[test]
    fn set_json_values_must_be_json() {
        let got = with_set_json(&["a=x".into()], &["b=1".into(), "c={\"d\":[1]}".into()]).unwrap();
        assert_eq!(got, ["a=x", "b=1", "c={\"d\":[1]}"]);
        let e = with_set_json(&[], &["b=not json".into()]).unwrap_err();
        assert_eq!(e.field(), "set-json");
        assert!(e.to_string().contains("not JSON"), "{e}");
        assert_eq!(
            with_set_json(&[], &["b".into()]).unwrap_err().field(),
            "set-json"
        );
        let mut v = serde_json::json!({"b":"x"});
        for s in with_set_json(&[], &["b=[1,2]".into()]).unwrap() {
            apply_set(&mut v, &s).unwrap();
        }
        assert_eq!(v["b"], serde_json::json!([1, 2]));
    }
}
