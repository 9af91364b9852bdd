//! A clap CLI with the shape of `cbkit sign wemeet --token T --timestamp S --nonce N --data D`
//! (one subcommand, a positional and four options, one global flag) that prints one line:
//! what parsing that command line costs any clap program, before cbkit's larger model.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a message.
    Sign {
        vendor: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        timestamp: String,
        #[arg(long)]
        nonce: String,
        #[arg(long)]
        data: String,
    },
}

fn main() {
    let cli = Cli::parse();
    let Command::Sign {
        vendor,
        token,
        timestamp,
        nonce,
        data,
    } = cli.command;
    let total = [vendor, token, timestamp, nonce, data].concat().len();
    println!("{total}{}", if cli.json { " json" } else { "" });
}
