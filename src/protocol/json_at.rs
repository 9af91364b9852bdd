//! The string at a JSON pointer of a document, read in one pass without building the document:
//! every value off the path is skipped unkept. A vendor's event type is read this way from every
//! plaintext a receiver or a batch decode opens, where building a `serde_json::Value` (a map, and
//! a copy of every string, however long) took a fifth of the time.
//!
//! Same answers as `Value::pointer(..)?.as_str()` on the parsed document: None when the document
//! is not JSON or holds no string there; a key given twice counts by its last value.

use std::fmt;

use serde::Deserializer;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The string at `pointer` (RFC 6901: `/a/0/b`, `~1` for `/`, `~0` for `~`) in `doc`.
pub fn string_at(doc: &[u8], pointer: &str) -> Option<String> {
    let path: Vec<String> = match pointer {
        "" => Vec::new(),
        p => p
            .strip_prefix('/')?
            .split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    };
    let mut de = serde_json::Deserializer::from_slice(doc);
    let found = At { path: &path }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    found
}

/// Read the value at `path` below the current one.
struct At<'p> {
    path: &'p [String],
}

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<String>, E> {
        Ok(self.path.is_empty().then(|| v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Option<String>, E> {
        Ok(self.path.is_empty().then_some(v))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<String>, A::Error> {
        let step = self.path.split_first();
        let mut found = None;
        while let Some(hit) = map.next_key_seed(KeyIs(step.map(|(k, _)| k.as_str())))? {
            match step {
                Some((_, rest)) if hit => found = map.next_value_seed(At { path: rest })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<String>, A::Error> {
        let step = self.path.split_first();
        // An index as `Value::pointer` reads one: digits, no leading zero but "0" itself.
        let index = step.and_then(|(k, _)| {
            (!k.starts_with('+') && (k == "0" || !k.starts_with('0')))
                .then(|| k.parse::<usize>().ok())
                .flatten()
        });
        let mut found = None;
        let mut i = 0;
        loop {
            let item = match (step, index) {
                (Some((_, rest)), Some(at)) if at == i => {
                    seq.next_element_seed(At { path: rest })?
                }
                _ => seq.next_element::<IgnoredAny>()?.map(|_| None),
            };
            match item {
                Some(value) => found = found.or(value),
                None => return Ok(found),
            }
            i += 1;
        }
    }
}

/// A map key, compared with the one on the path (None: no key is).
struct KeyIs<'k>(Option<&'k str>);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(self.0 == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the parsed document answers.
    fn by_value(doc: &str, pointer: &str) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(doc).ok()?;
        v.pointer(pointer)?.as_str().map(str::to_string)
    }

    #[test]
    fn answers_as_the_parsed_document_does() {
        let docs = [
            r#"{"EventType":"user_add_org","data":"x"}"#,
            r#"{"header":{"event_type":"im.message"},"event":{"type":"t"},"type":"u"}"#,
            r#"{"a":[{"b":"zero"},{"b":"one"}],"c":{"d/e":"slash","f~g":"tilde"}}"#,
            r#"{"EventType":1,"x":null,"y":true,"z":[1,2.5,-3,"s"]}"#,
            r#"{"EventType":"first","EventType":"last"}"#,
            r#"{"EventType":"a" } trailing"#,
            r#"{"EventType":"\u00e9\"q\""}"#,
            r#"["zero","one"]"#,
            r#""just a string""#,
            "not json",
            "",
            r#"{"a":{"b":{"c":"deep"}}}"#,
        ];
        let pointers = [
            "/EventType",
            "/header/event_type",
            "/event/type",
            "/type",
            "/a/1/b",
            "/a/01/b",
            "/a/+1/b",
            "/a/9/b",
            "/c/d~1e",
            "/c/f~0g",
            "/z/3",
            "/1",
            "",
            "/a/b/c",
            "no-slash",
        ];
        for doc in docs {
            for p in pointers {
                assert_eq!(
                    string_at(doc.as_bytes(), p),
                    by_value(doc, p),
                    "{doc} at {p}"
                );
            }
        }
    }
}
