//! `cbkit encrypt <vendor>`: what the vendor would send for a plaintext, or with `--reply`
//! the receiver's encrypted answer.

use std::io::IsTerminal;

use anyhow::Result;
use serde_json::json;

use cbkit::protocol::{Kind, Stamp};

use super::{Ctx, input};
use crate::cli::EncryptCmd;

pub fn run(ctx: &Ctx, cmd: &EncryptCmd) -> Result<i32> {
    let vendor = cmd.vendor.vendor();
    let secrets = input::secrets(&cmd.secrets);
    let plaintext = plaintext(cmd)?;
    let fresh = vendor.stamp(ctx.now());
    let stamp = Stamp {
        timestamp: cmd.timestamp.clone().unwrap_or(fresh.timestamp),
        nonce: cmd.nonce.clone().unwrap_or(fresh.nonce),
    };

    if cmd.reply {
        let sealed = vendor.sealed_reply(&plaintext, &secrets, &stamp)?;
        if ctx.json {
            let mut out = serde_json::Value::Object(sealed.fields);
            if !sealed.reply.body.starts_with(b"{") {
                out["body"] = String::from_utf8_lossy(&sealed.reply.body)
                    .into_owned()
                    .into();
            }
            ctx.print_json(&out);
        } else {
            println!("{}", String::from_utf8_lossy(&sealed.reply.body));
        }
        return Ok(0);
    }

    let kind = if cmd.handshake {
        Kind::Handshake
    } else {
        vendor.kind(false, &plaintext)
    };
    let req = vendor.seal(&plaintext, kind, &secrets, &stamp)?;
    let cb = vendor.parse(&req)?;
    let Some(payload) = cb.payload.clone() else {
        return Err(cbkit::Error::malformed(
            "vendor",
            format!(
                "{} callbacks carry a plain body here (no Encrypt Key / not an encrypting vendor): nothing to encrypt; see `cbkit sign {}`",
                cmd.vendor.title(),
                cmd.vendor.name()
            ),
        )
        .into());
    };
    if ctx.json {
        let mut out = json!({
            "vendor": cmd.vendor.name(),
            "encrypt": payload.value,
            "signature": cb.signature,
            "timestamp": cb.timestamp,
            "nonce": cb.nonce,
            "method": req.method,
            "query": req.query,
            "headers": req.headers.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone()))).collect::<serde_json::Map<_, _>>(),
            "body": String::from_utf8_lossy(&req.body),
        });
        if req.query_param("msg_signature").is_some() {
            out["msg_signature"] = cb.signature.clone().into();
        }
        ctx.print_json(&out);
    } else {
        print!("{}", String::from_utf8_lossy(&req.to_raw("localhost")));
        println!();
    }
    Ok(0)
}

fn plaintext(cmd: &EncryptCmd) -> Result<Vec<u8>> {
    if let Some(p) = &cmd.plaintext {
        return Ok(p.clone().into_bytes());
    }
    if let Some(path) = &cmd.body {
        return input::read_path(path, "body");
    }
    if cmd.reply {
        return Ok(b"success".to_vec());
    }
    if !std::io::stdin().is_terminal() {
        return input::read_path(std::path::Path::new("-"), "plaintext");
    }
    Err(cbkit::Error::missing("plaintext", "pass --plaintext TEXT or --body FILE").into())
}
