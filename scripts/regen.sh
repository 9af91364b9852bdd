#!/usr/bin/env bash
# Regenerate the committed completions and man page from the clap model.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/cbkit
env -u CBKIT_TOKEN -u CBKIT_AES_KEY -u CBKIT_RECEIVER_ID -u CBKIT_SDK_APP_ID true
"$bin" completions bash > completions/cbkit.bash
"$bin" completions zsh > completions/_cbkit
"$bin" completions fish > completions/cbkit.fish
"$bin" completions powershell > completions/_cbkit.ps1
"$bin" completions elvish > completions/cbkit.elv
"$bin" man > man/cbkit.1
