//! `cbkit sign <vendor>`: the signature a vendor would send, and where it travels.

use anyhow::Result;
use serde_json::json;

use super::{Ctx, input};
use crate::cli::MessageCmd;

pub fn run(ctx: &Ctx, cmd: &MessageCmd) -> Result<i32> {
    let vendor = cmd.vendor.vendor();
    let secrets = input::secrets(&cmd.secrets);
    let mut cb = input::callback(vendor, &cmd.message)?;
    vendor.fill_defaults(&mut cb, &secrets, ctx.now());
    let signature = vendor.sign(&cb, &secrets)?;
    let placement = vendor.placement(&cb, &signature);
    let query = placement.query_string();

    if ctx.json {
        let mut out = json!({ "vendor": cmd.vendor.name(), "signature": signature });
        let obj = out.as_object_mut().expect("object");
        for (key, value) in [
            ("timestamp", &cb.timestamp),
            ("nonce", &cb.nonce),
            ("request_time", &cb.request_time),
        ] {
            if let Some(v) = value {
                obj.insert(key.into(), v.clone().into());
            }
        }
        if !query.is_empty() {
            obj.insert("query".into(), query.into());
        }
        if !placement.headers.is_empty() {
            let headers: serde_json::Map<String, serde_json::Value> = placement
                .headers
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect();
            obj.insert("headers".into(), headers.into());
        }
        ctx.print_json(&out);
        return Ok(0);
    }
    println!("{signature}");
    if ctx.verbose > 0 {
        if !query.is_empty() {
            println!("query: {query}");
        }
        for (k, v) in &placement.headers {
            println!("header: {k}: {v}");
        }
    }
    Ok(0)
}
