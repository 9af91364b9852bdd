//! cbkit — callback kit for Tencent Meeting, Tencent Cloud IM/Room, DingTalk, WeCom, Feishu and
//! WeChat.
//!
//! The library holds the protocol knowledge (`protocol`, `crypto`) and the transports built on it;
//! the `cbkit` binary is a thin command layer over it.

pub mod batch_decode;
pub mod client;
pub mod config;
pub mod crypto;
pub mod curl;
pub mod delivery;
pub mod demo;
pub mod diagnose;
pub mod error;
pub mod event_filter;
pub mod exchange;
pub mod fixture;
pub mod fixture_save;
pub mod http;
pub mod inspector;
pub mod junit;
pub mod listen;
pub mod load;
pub mod probe;
pub mod protocol;
pub mod render;
pub mod replay;
pub mod secret;
pub mod suggest;

pub use error::{Error, Result};
/// Capture lines, recorded by the listener and read back by `verify`, `decode` and `replay`.
pub use listen::capture;
