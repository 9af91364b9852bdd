//! `cbkit config show`: the merged settings, secrets masked, and where each came from.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::{ConfigCmd, SecretArgs};
use cbkit::protocol::VendorId;

pub fn run(ctx: &Ctx, cmd: &ConfigCmd) -> Result<i32> {
    let ConfigCmd::Show { secrets, url } = cmd;
    let vendor = ctx.profile.as_ref().and_then(|p| p.profile.vendor.clone());
    let rows: Vec<(&str, &str, &str, Option<String>, bool)> = vec![
        ("vendor", "--vendor", "", vendor, false),
        (
            "token",
            "--token",
            "CBKIT_TOKEN",
            secrets.token.clone(),
            true,
        ),
        (
            "aes_key",
            "--aes-key",
            "CBKIT_AES_KEY",
            secrets.aes_key.clone(),
            true,
        ),
        (
            "receiver_id",
            "--receiver-id",
            "CBKIT_RECEIVER_ID",
            secrets.receiver_id.clone(),
            false,
        ),
        (
            "sdk_app_id",
            "--sdk-app-id",
            "CBKIT_SDK_APP_ID",
            secrets.sdk_app_id.clone(),
            false,
        ),
        ("url", "--url", "", url.clone(), false),
    ];
    let mut settings = serde_json::Map::new();
    for (key, flag, env, value, secret) in rows {
        let source = if key == "vendor" {
            value.as_ref().map(|_| profile_source(ctx, "vendor"))
        } else {
            ctx.source_of(key, flag, env, value.as_deref())
        };
        let shown = value.map(|v| if secret { ctx.secret(&v) } else { v });
        settings.insert(key.into(), json!({"value": shown, "source": source}));
    }
    let profile = ctx.profile.as_ref().and_then(|p| p.name.clone());
    let files: Vec<String> = ctx
        .profile
        .as_ref()
        .map(|p| p.files.iter().map(|f| f.display().to_string()).collect())
        .unwrap_or_default();
    let note = vendor_note(ctx);
    let vendors = per_vendor(ctx, secrets);
    if ctx.json {
        ctx.print_json(
            &json!({"profile": profile, "files": files, "settings": settings,
            "note": note, "vendors": vendors}),
        );
        return Ok(0);
    }
    println!("profile: {}", profile.as_deref().unwrap_or("(none)"));
    println!(
        "files:   {}",
        if files.is_empty() {
            "(none found)".to_string()
        } else {
            files.join(", ")
        }
    );
    for (key, v) in &settings {
        println!("{}", setting_line(key, v));
    }
    if !vendors.is_empty() {
        println!("per vendor (a vendor's table wins over the flat values):");
        for (vendor, settings) in &vendors {
            println!("  {vendor}");
            for (key, v) in settings.as_object().into_iter().flatten() {
                println!("  {}", setting_line(key, v));
            }
        }
    }
    println!("precedence: flags > environment > profile > defaults");
    if let Some(note) = note {
        println!("note: {note}");
    }
    Ok(0)
}

/// `  token        ab****yz  (from SOURCE)`.
fn setting_line(key: &str, v: &serde_json::Value) -> String {
    let value = v["value"].as_str().unwrap_or("not set");
    let source = v["source"]
        .as_str()
        .map(|s| format!("  (from {s})"))
        .unwrap_or_default();
    format!(
        "  {key:<12} {}{source}",
        cbkit::render::escape_bytes(value.as_bytes(), 120)
    )
}

/// Each vendor with a table in the profile: its secrets as a command for it takes them
/// (flags and environment, then its table, then the flat values), secrets masked.
fn per_vendor(ctx: &Ctx, secrets: &SecretArgs) -> serde_json::Map<String, serde_json::Value> {
    let Some(p) = &ctx.profile else {
        return Default::default();
    };
    VendorId::ALL
        .iter()
        .filter(|v| p.profile.vendors.contains_key(v.name()))
        .map(|&v| {
            let settings: serde_json::Map<String, serde_json::Value> = ctx
                .sourced_secrets(v, secrets)
                .into_iter()
                .map(|(key, found)| {
                    // As a command for this vendor takes it: a profile for another vendor
                    // lends it none of its flat values.
                    let flat = found
                        .as_ref()
                        .is_some_and(|f| ctx.from_profile.get(key) == Some(&f.source));
                    let found = found.filter(|_| !flat || p.flat_applies_to(v));
                    let secret = matches!(key, "token" | "aes_key");
                    let (value, source) = match found {
                        Some(f) if secret => (Some(ctx.secret(&f.value)), Some(f.source)),
                        Some(f) => (Some(f.value), Some(f.source)),
                        None => (None, None),
                    };
                    (key.to_string(), json!({"value": value, "source": source}))
                })
                .collect();
            (v.name().to_string(), settings.into())
        })
        .collect()
}

/// A profile with a `vendor` is applied only to commands for that vendor (or naming none).
fn vendor_note(ctx: &Ctx) -> Option<String> {
    let p = ctx.profile.as_ref()?;
    let vendor = p.profile.vendor.as_deref()?;
    let title = vendor
        .parse::<cbkit::protocol::VendorId>()
        .map_or(vendor, |v| v.title());
    Some(format!(
        "profile {} is for {title}: commands for another vendor do not use it",
        p.name.as_deref().unwrap_or("")
    ))
}

fn profile_source(ctx: &Ctx, key: &str) -> String {
    let p = ctx.profile.as_ref();
    let name = p.and_then(|p| p.name.clone()).unwrap_or_default();
    let file = p
        .and_then(|p| p.sources.get(key))
        .map(|f| f.display().to_string())
        .unwrap_or_default();
    format!("profile {name} ({file})")
}
