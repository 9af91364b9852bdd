//! The stable-toolchain twin of `fuzz/`: every parser and decoder that reads untrusted bytes
//! returns a value or an error on arbitrary input, never a panic. Seeds from real requests are
//! mutated too, so the properties reach past the first syntax check.

use cbkit::crypto::envelope::{self, AesKey};
use cbkit::fixture::{Fixture, Vars, apply_set, fill_text};
use cbkit::http::{HttpReply, HttpRequest};
use cbkit::protocol::{Kind, Now, Secrets, VendorId};
use cbkit::secret::Secret;
use proptest::prelude::*;

const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

fn secrets(aes: Option<&str>) -> Secrets {
    Secrets {
        token: Some(Secret::new("QDG6eK")),
        aes_key: aes.map(Secret::new),
        receiver_id: Some("wx5823bf96d3bd56c7".into()),
        sdk_app_id: Some("1400000000".into()),
    }
}

/// A real-looking request with arbitrary bytes spliced in, or pure noise.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    let seed = b"POST /wemeet?check_str=YWJj%2B&msg_signature=a&timestamp=1&nonce=2 HTTP/1.1\r\n\
timestamp: 1\r\nnonce: 2\r\nsignature: 3\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n\
{\"data\":\"eyJ9\"}"
        .to_vec();
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        (
            0..seed.len(),
            proptest::collection::vec(any::<u8>(), 0..32),
            0usize..8
        )
            .prop_map(move |(at, ins, del)| {
                let mut s = seed.clone();
                let end = (at + del).min(s.len());
                s.splice(at..end, ins);
                s
            }),
    ]
}

fn run_vendors(req: &HttpRequest) {
    let now = Now {
        unix_ms: 1_609_239_040_864,
    };
    let _ = VendorId::recognise(req);
    for aes in [None, Some(KEY)] {
        let s = secrets(aes);
        for id in VendorId::ALL {
            let v = id.vendor();
            let Ok(cb) = v.parse(req) else { continue };
            let _ = v.verify(&cb, &s, now);
            if let Ok(opened) = v.open(&cb, &s) {
                let _ = v.check_opened(&opened, &s);
                let _ = v.reply(&cb, &opened, &s, &v.stamp(now));
            }
        }
    }
}

/// A vendor, the kind of delivery, the plaintext sent and a correct receiver's reply to it.
type ReplyCase = (VendorId, Kind, Vec<u8>, HttpReply);

/// What a correct receiver answers to each bundled fixture, so that mutated replies reach the
/// judges' deeper steps (decrypting, checking a signature, comparing an echo) and not only
/// their first parse.
fn genuine_replies() -> &'static [ReplyCase] {
    static CASES: std::sync::OnceLock<Vec<ReplyCase>> = std::sync::OnceLock::new();
    CASES.get_or_init(|| {
        let now = Now {
            unix_ms: 1_609_239_040_864,
        };
        let s = secrets(Some(KEY));
        let vars = Vars {
            now,
            secrets: s.clone(),
            env: |_| None,
        };
        cbkit::fixture::bundled()
            .into_iter()
            .filter_map(|f| {
                let v = f.vendor.vendor();
                let plaintext = f.render(&vars, &[]).ok()?;
                let kind = f.kind(&plaintext);
                let req = v.seal(&plaintext, kind, &s, &v.stamp(now)).ok()?;
                let cb = v.parse(&req).ok()?;
                let opened = v.open(&cb, &s).ok()?;
                let reply = v.reply(&cb, &opened, &s, &v.stamp(now)).ok()?;
                Some((f.vendor, kind, plaintext, reply))
            })
            .collect()
    })
}

/// A reply body: noise, or the genuine reply's body with a few bytes replaced.
#[derive(Debug, Clone)]
enum ReplyBody {
    Noise(Vec<u8>),
    Mutated { at: usize, ins: Vec<u8>, del: usize },
}

/// Splice `ins` over `del` bytes at `at` (modulo the length).
fn splice(bytes: &[u8], at: usize, ins: &[u8], del: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = at % (out.len() + 1);
    let end = (at + del).min(out.len());
    out.splice(at..end, ins.iter().copied());
    out
}

/// Every vendor's judge, for both kinds, with and without an AES key.
fn judge_everywhere(sent: &[u8], reply: &HttpReply) {
    for aes in [None, Some(KEY)] {
        let s = secrets(aes);
        for id in VendorId::ALL {
            for kind in [Kind::Handshake, Kind::Event] {
                // Written so it compiles whatever judge's error type is.
                let _ = id.vendor().judge(kind, sent, reply, &s);
            }
        }
    }
}

#[test]
fn genuine_replies_cover_every_fixture_and_are_accepted() {
    let cases = genuine_replies();
    assert_eq!(
        cases.len(),
        cbkit::fixture::bundled().len(),
        "every bundled fixture (each vendor, each kind it has) yields a genuine reply to mutate"
    );
    let s = secrets(Some(KEY));
    for (id, kind, sent, reply) in cases {
        assert!(
            id.vendor().judge(*kind, sent, reply, &s).is_ok(),
            "{id} {kind:?}: the vendor's judge refuses a correct receiver's reply"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// A receiver's reply is untrusted: every judge returns a verdict on any status, headers
    /// and body, never a panic.
    #[test]
    fn judged_replies(
        case in any::<prop::sample::Index>(),
        status in prop_oneof![Just(200u16), 100u16..600, any::<u16>()],
        headers in proptest::collection::vec(("[A-Za-z-]{1,16}", "\\PC{0,40}"), 0..4),
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300).prop_map(ReplyBody::Noise),
            (any::<usize>(), proptest::collection::vec(any::<u8>(), 0..24), 0usize..16)
                .prop_map(|(at, ins, del)| ReplyBody::Mutated { at, ins, del }),
        ],
        sent_noise in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
    ) {
        let cases = genuine_replies();
        let (_, _, sent, genuine) = &cases[case.index(cases.len())];
        let body = match body {
            ReplyBody::Noise(b) => b,
            ReplyBody::Mutated { at, ins, del } => splice(&genuine.body, at, &ins, del),
        };
        let mut reply = HttpReply { status, headers: genuine.headers.clone(), body };
        reply.headers.extend(headers);
        let sent = sent_noise.unwrap_or_else(|| sent.clone());
        judge_everywhere(&sent, &reply);
    }

    #[test]
    fn raw_http_requests(data in request_bytes()) {
        if let Ok(req) = HttpRequest::parse_raw(&data) {
            let _ = req.query_pairs();
            prop_assert!(HttpRequest::parse_raw(&req.to_raw("h")).is_ok());
            run_vendors(&req);
        }
    }

    #[test]
    fn vendor_bodies(body in proptest::collection::vec(any::<u8>(), 0..400), get in any::<bool>()) {
        let req = HttpRequest {
            method: if get { "GET" } else { "POST" }.into(),
            path: "/".into(),
            query: "timestamp=1&nonce=2&msg_signature=3&check_str=YWJj&echostr=YWJj&SdkAppid=1400000000&RequestTime=1&Sign=x".into(),
            headers: vec![("timestamp".into(), "1".into()), ("nonce".into(), "2".into())],
            body,
        };
        run_vendors(&req);
    }

    #[test]
    fn aes_envelopes(cipher in proptest::collection::vec(any::<u8>(), 0..200), text in ".{0,80}") {
        let key = AesKey::from_encoding_aes_key("aes-key", KEY).unwrap();
        let b64 = cbkit::crypto::b64_encode(&cipher);
        let _ = envelope::open("encrypt", &key, &b64);
        let _ = envelope::open("encrypt", &key, &text);
        let _ = cbkit::protocol::feishu::decrypt("k", &b64);
        let _ = cbkit::protocol::feishu::decrypt("k", &text);
        let _ = cbkit::crypto::aes_cbc::decrypt("data", &key.0, &key.iv(), &cipher);
        let _ = AesKey::from_encoding_aes_key("aes-key", &text);
        let _ = cbkit::crypto::b64_decode("data", &text);
    }

    #[test]
    fn curl_commands(text in "(curl |-H |-d |--data-raw |'|\"|\\\\|\\$'|@|[a-z:/?&= ]){0,40}") {
        let _ = cbkit::curl::shell_words(&text);
        let _ = cbkit::curl::parse(&text, &|n| Ok(n.as_bytes().to_vec()));
    }

    #[test]
    fn curl_arbitrary(text in "\\PC{0,120}") {
        let _ = cbkit::curl::parse(&text, &|n| Ok(n.as_bytes().to_vec()));
    }

    #[test]
    fn wecom_xml(text in "(<xml>|</xml>|<Encrypt>|</Encrypt>|<!\\[CDATA\\[|\\]\\]>|[a-zA-Z0-9+/= ]){0,30}") {
        let _ = cbkit::protocol::wecom::xml_field(&text, "Encrypt");
        let _ = cbkit::protocol::wecom::encrypt_of_body(text.as_bytes());
    }

    #[test]
    fn templates_and_sets(text in "(\\{\\{|\\}\\}|now|env\\.|uuid|token|[a-z.=/0-9\\[\\]\"{}:,])*") {
        let vars = Vars { now: Now { unix_ms: 1 }, secrets: Secrets::default(), env: |n| (n == "X").then(|| "x".to_string()) };
        let _ = fill_text(&text, &vars);
        let mut doc = serde_json::json!({"a": {"b": [1, {"c": "x"}]}});
        let _ = apply_set(&mut doc, &text);
        if let Ok(f) = Fixture::parse("p", &text) {
            let _ = f.render(&vars, std::slice::from_ref(&text));
        }
    }

    #[test]
    fn capture_lines(text in "\\PC{0,200}") {
        let (_, n) = cbkit::capture::split_spec(&text);
        let _ = cbkit::capture::pick(&text, n);
        let _ = cbkit::capture::parse_line(&text);
    }

    #[test]
    fn config_files(text in "(\\[profile\\.|\\]|default_profile|token|aes_key|vendor|url|=|\"|'|\n|#|[a-z0-9 .\\[\\]{}])*") {
        if let Ok(f) = cbkit::config::parse(std::path::Path::new("c.toml"), &text) {
            let names: Vec<String> = f.profiles.keys().cloned().collect();
            let files = [f];
            let _ = cbkit::config::resolve(&files, None);
            for n in &names {
                prop_assert!(cbkit::config::resolve(&files, Some(n)).is_ok());
            }
        }
    }

    #[test]
    fn config_arbitrary(text in "\\PC{0,200}") {
        let _ = cbkit::config::parse(std::path::Path::new("c.toml"), &text);
    }
}
