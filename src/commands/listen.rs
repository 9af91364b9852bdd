//! `cbkit listen`: placeholder until the listener lands (see src/listen.rs).

use anyhow::Result;

use super::Ctx;
use crate::cli::ListenCmd;

pub fn run(_ctx: &Ctx, _cmd: &ListenCmd) -> Result<i32> {
    anyhow::bail!("listen is not built yet")
}
