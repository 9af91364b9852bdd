//! The shapes of a WeChat message push: the message mode chosen in the console (plain, safe,
//! compatible), the data format (XML for Official Accounts, XML or JSON for Mini Programs), and
//! the fields cbkit reads from a body in either format.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::protocol::Variant;
use crate::protocol::wecom::xml_field;

/// The message encryption mode (消息加解密方式) configured in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 明文模式: the body is the message itself.
    Plain,
    /// 安全模式: the body holds only ToUserName and Encrypt.
    Safe,
    /// 兼容模式: the plaintext fields and Encrypt in the same body.
    Compat,
}

impl Mode {
    /// The mode a sender uses when none is named: safe when an EncodingAESKey is configured,
    /// plain otherwise (a plain-mode account has no key to encrypt with).
    pub fn default_for(has_key: bool) -> Mode {
        if has_key { Mode::Safe } else { Mode::Plain }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Plain => "plain",
            Mode::Safe => "safe",
            Mode::Compat => "compat",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "plain" | "raw" => Ok(Mode::Plain),
            "safe" | "aes" | "secure" => Ok(Mode::Safe),
            "compat" | "compatible" => Ok(Mode::Compat),
            _ => Err(format!(
                "unknown WeChat mode `{s}`; expected plain, safe or compat"
            )),
        }
    }
}

/// The data format (数据格式) of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// The format a plaintext is written in: JSON when it is a JSON object, XML otherwise.
    pub fn of(plaintext: &[u8]) -> Format {
        if plaintext.trim_ascii_start().starts_with(b"{") {
            Format::Json
        } else {
            Format::Xml
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml",
            Format::Json => "application/json",
        }
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "xml" => Ok(Format::Xml),
            "json" => Ok(Format::Json),
            _ => Err(format!("unknown WeChat format `{s}`; expected xml or json")),
        }
    }
}

/// The mode and format a sender named, each None when not named.
pub fn chosen(variant: &Variant) -> Result<(Option<Mode>, Option<Format>)> {
    Ok((
        parsed("mode", variant.mode.as_deref())?,
        parsed("format", variant.format.as_deref())?,
    ))
}

/// A named choice parsed, or None when none is named.
fn parsed<T: FromStr<Err = String>>(field: &str, name: Option<&str>) -> Result<Option<T>> {
    name.map(str::parse::<T>)
        .transpose()
        .map_err(|e| Error::malformed(field, e))
}

/// The format a message is pushed in: the one named, which must be the message's own (cbkit
/// does not translate between XML and JSON), else the message's.
pub fn format_for(plaintext: &[u8], named: Option<Format>) -> Result<Format> {
    let own = Format::of(plaintext);
    match named {
        Some(f) if f != own => Err(Error::malformed(
            "format",
            format!(
                "the message is {}, so it cannot be pushed in the {} format; write it in {} (e.g. the fixtures wechat/miniprogram.kf-text-xml and -json)",
                own.name(),
                f.name(),
                f.name()
            ),
        )),
        _ => Ok(own),
    }
}

/// A top-level field of a message in either format (CDATA unwrapped; JSON numbers as text).
pub fn field(body: &[u8], name: &str) -> Option<String> {
    match Format::of(body) {
        Format::Json => {
            let v: serde_json::Value = serde_json::from_slice(body).ok()?;
            match v.get(name)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        }
        Format::Xml => xml_field(std::str::from_utf8(body).ok()?, name),
    }
}

/// The `Encrypt` field of a safe- or compatible-mode body, XML or JSON.
pub fn encrypt_of(body: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(body).map_err(|_| Error::malformed("body", "not UTF-8"))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| Error::malformed("body", format!("not JSON: {e}")))?
            .get("Encrypt")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| Error::missing("Encrypt", "the JSON body has no \"Encrypt\" string"))
    } else if trimmed.starts_with('<') {
        xml_field(text, "Encrypt")
            .ok_or_else(|| Error::missing("Encrypt", "the XML body has no <Encrypt> element"))
    } else {
        Err(Error::malformed(
            "body",
            "neither XML nor JSON (WeChat error -40002)",
        ))
    }
}

/// The body WeChat posts in `mode` for `plaintext` whose encrypted form is `encrypt` (unused in
/// plain mode).
pub fn build(plaintext: &[u8], mode: Mode, format: Format, encrypt: &str) -> Result<Vec<u8>> {
    if mode == Mode::Plain {
        return Ok(plaintext.to_vec());
    }
    let to_user = field(plaintext, "ToUserName").unwrap_or_default();
    match (format, mode) {
        (Format::Xml, Mode::Safe) => Ok(format!(
            "<xml><ToUserName><![CDATA[{to_user}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        )
        .into_bytes()),
        (Format::Json, Mode::Safe) => Ok(serde_json::to_vec(
            &serde_json::json!({"ToUserName": to_user, "Encrypt": encrypt}),
        )
        .expect("JSON value serialises")),
        (Format::Xml, _) => {
            let text = std::str::from_utf8(plaintext)
                .map_err(|_| Error::malformed("plaintext", "XML message is not UTF-8"))?;
            let inner = text
                .trim()
                .strip_suffix("</xml>")
                .ok_or_else(|| Error::malformed("plaintext", "XML message does not end in </xml>"))?;
            Ok(format!("{inner}<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>").into_bytes())
        }
        (Format::Json, _) => {
            let mut v: serde_json::Value = serde_json::from_slice(plaintext)
                .map_err(|e| Error::malformed("plaintext", format!("not JSON: {e}")))?;
            let obj = v
                .as_object_mut()
                .ok_or_else(|| Error::malformed("plaintext", "JSON message is not an object"))?;
            obj.insert("Encrypt".into(), encrypt.into());
            Ok(serde_json::to_vec(&v).expect("JSON value serialises"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &[u8] =
        b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>";
    const JSON: &[u8] = br#"{"ToUserName":"gh_1","MsgType":"text","CreateTime":1}"#;

    #[test]
    fn fields_from_either_format() {
        assert_eq!(field(XML, "ToUserName").as_deref(), Some("gh_1"));
        assert_eq!(field(JSON, "CreateTime").as_deref(), Some("1"));
        assert_eq!(field(JSON, "Nope"), None);
        assert_eq!(Format::of(b"  {}"), Format::Json);
        assert_eq!(Format::of(XML), Format::Xml);
    }

    #[test]
    fn bodies_per_mode_and_format() {
        let safe = build(XML, Mode::Safe, Format::Xml, "E==").unwrap();
        assert_eq!(encrypt_of(&safe).unwrap(), "E==");
        assert!(!String::from_utf8_lossy(&safe).contains("MsgType"));
        let compat = build(XML, Mode::Compat, Format::Xml, "E==").unwrap();
        assert_eq!(field(&compat, "MsgType").as_deref(), Some("text"));
        assert_eq!(encrypt_of(&compat).unwrap(), "E==");
        let json = build(JSON, Mode::Safe, Format::Json, "E==").unwrap();
        assert_eq!(field(&json, "ToUserName").as_deref(), Some("gh_1"));
        assert_eq!(encrypt_of(&json).unwrap(), "E==");
        let json_compat = build(JSON, Mode::Compat, Format::Json, "E==").unwrap();
        assert_eq!(field(&json_compat, "MsgType").as_deref(), Some("text"));
        assert_eq!(build(XML, Mode::Plain, Format::Xml, "").unwrap(), XML);
    }

    #[test]
    fn bad_bodies_are_errors() {
        assert!(encrypt_of(b"hello").is_err());
        assert!(encrypt_of(b"{\"encrypt\":\"x\"}").unwrap_err().is_missing());
        assert!(encrypt_of(b"<xml></xml>").unwrap_err().is_missing());
        assert!(encrypt_of(&[0xff, 0xfe]).is_err());
        assert!(build(b"<xml>", Mode::Compat, Format::Xml, "E").is_err());
        assert!(build(b"[1]", Mode::Compat, Format::Json, "E").is_err());
    }

    #[test]
    fn names_parse() {
        assert_eq!("compatible".parse::<Mode>().unwrap(), Mode::Compat);
        assert_eq!("SAFE".parse::<Mode>().unwrap(), Mode::Safe);
        assert!("x".parse::<Mode>().is_err());
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        assert!("yaml".parse::<Format>().is_err());
        assert_eq!(Mode::default_for(true), Mode::Safe);
        assert_eq!(Mode::default_for(false), Mode::Plain);
    }

    #[test]
    fn a_variant_names_a_mode_and_a_format() {
        let v = |m: Option<&str>, f: Option<&str>| Variant {
            mode: m.map(Into::into),
            format: f.map(Into::into),
        };
        assert_eq!(chosen(&Variant::DEFAULT).unwrap(), (None, None));
        assert_eq!(
            chosen(&v(Some("compat"), Some("JSON"))).unwrap(),
            (Some(Mode::Compat), Some(Format::Json))
        );
        assert_eq!(chosen(&v(Some("x"), None)).unwrap_err().field(), "mode");
        assert_eq!(
            chosen(&v(None, Some("yaml"))).unwrap_err().field(),
            "format"
        );
        assert_eq!(format_for(XML, None).unwrap(), Format::Xml);
        assert_eq!(format_for(JSON, Some(Format::Json)).unwrap(), Format::Json);
        assert_eq!(
            format_for(XML, Some(Format::Json)).unwrap_err().field(),
            "format"
        );
    }
}
