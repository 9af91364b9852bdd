//! The command-line model (clap derive). Doc comments are the help text. Nothing else in the
//! program sees clap types: `commands::` turns these into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use cbkit::protocol::{VendorId, summary};

#[derive(Parser, Debug)]
#[command(
    name = "cbkit",
    version,
    about = "Sign, verify, decrypt, replay and receive vendor callbacks (Tencent Meeting, Tencent IM/Room, DingTalk, WeCom, Feishu, WeChat) — offline, from one binary.",
    after_help = AFTER_HELP,
    help_template = "{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Selected<Command>,

    #[command(flatten)]
    pub global: GlobalArgs,
}

const AFTER_HELP: &str = "\
Commands by task:
  Debug a failing URL verification:
    cbkit verify <vendor> --request req.http --explain
  Simulate Tencent retries:
    cbkit replay wemeet/meeting.created --url URL --time-scale 0.01
  Decrypt a captured DingTalk body:
    cbkit decode dingtalk --body body.json
  Script checks in CI:
    cbkit listen --port 0 --exit-after N
    cbkit replay <vendor> --url URL --report junit.xml

Vendors: wemeet (Tencent Meeting), tencent-im (alias tim; IM and Room/TRTC), dingtalk, wecom, feishu (alias lark), wechat (aliases weixin, mp; Official Account and Mini Program)
Secrets: --token/--aes-key/--receiver-id/--sdk-app-id or CBKIT_TOKEN, CBKIT_AES_KEY, CBKIT_RECEIVER_ID, CBKIT_SDK_APP_ID
Exit codes: 0 ok · 1 check failed (bad signature, delivery rejected) · 2 usage or input error";

/// Options every subcommand takes, listed under their own heading in each one's help.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Print one JSON document on stdout instead of text
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show secrets in output instead of masking them
    #[arg(long, global = true)]
    pub show_secrets: bool,

    /// Less output: only results and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// More output (repeatable)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)
    #[arg(long, global = true, env = "CBKIT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Profile to take vendor, secrets and url from (default: the file's default_profile, or `default`)
    #[arg(long, global = true, env = "CBKIT_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compute the signature (and the headers/query it travels in) a vendor would send
    // Its arguments' help differs from decode's: see `adjust_subcommand`.
    #[command(after_help = SIGN_EXAMPLES)]
    Sign(Deferred<MessageCmd>),

    /// Check a received callback's signature (and ids); exit 1 with what differed
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(Deferred<VerifyCmd>),

    /// Decode / decrypt a body, check_str, echostr or challenge and print the plaintext
    #[command(after_help = DECODE_EXAMPLES)]
    Decode(Deferred<DecodeCmd>),

    /// Build what the vendor would send for a plaintext (or, with --reply, the receiver's encrypted answer)
    #[command(after_help = ENCRYPT_EXAMPLES)]
    Encrypt(Deferred<EncryptCmd>),

    /// Run the vendor's URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes
    #[command(after_help = PROBE_EXAMPLES)]
    Probe(Deferred<ProbeCmd>),

    /// Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule
    #[command(after_help = replay_after_help())]
    Replay(Deferred<ReplayCmd>),

    /// List or show the bundled fixtures (real vendor event bodies)
    #[command(subcommand, after_help = FIXTURES_EXAMPLES)]
    Fixtures(Deferred<FixturesCmd>),

    /// Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets
    #[command(
        after_help = "Examples:\n  cbkit demo\n  cbkit demo --vendor dingtalk\n  cbkit demo --json"
    )]
    Demo(Deferred<DemoCmd>),

    /// Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from
    #[command(
        subcommand,
        after_help = "Examples:\n  cbkit config show\n  cbkit --profile ding config show --json\n  CBKIT_CONFIG=ci.toml cbkit config show"
    )]
    Config(Deferred<ConfigCmd>),

    /// Print shell completions (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  cbkit completions bash > ~/.local/share/bash-completion/completions/cbkit\n  cbkit completions zsh > ~/.zfunc/_cbkit\n  cbkit completions fish > ~/.config/fish/completions/cbkit.fish"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  cbkit man > cbkit.1 && man ./cbkit.1")]
    Man,

    /// A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards
    #[command(after_help = LISTEN_EXAMPLES)]
    Listen(Deferred<ListenCmd>),

    /// Open a capture file (listen --record) in the inspector page, without a listener
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(Deferred<InspectCmd>),
}

const INSPECT_EXAMPLES: &str = "\
Examples:
  cbkit inspect cap.jsonl              # the page: http://127.0.0.1:8788/_cbkit/
  cbkit inspect cap.jsonl --to http://127.0.0.1:8787  # Replay sends there";

/// The inspector page of `listen` and `demo`.
#[derive(Args, Debug, Clone)]
pub struct InspectArgs {
    /// Serve the inspector page at /_cbkit/ (every request live: steps, plaintext, replay);
    /// needed explicitly when --host is not loopback
    #[arg(long)]
    pub inspect: bool,

    /// Serve the inspector on this port of its own instead of under /_cbkit/ (0: any free one);
    /// implies --inspect on loopback
    #[arg(long, value_name = "PORT")]
    pub inspect_port: Option<u16>,

    /// How many requests the inspector remembers (the oldest are forgotten; --record keeps all)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub inspect_keep: usize,
}

#[derive(Args, Debug, Clone)]
pub struct InspectCmd {
    /// A capture file written by `cbkit listen --record FILE`
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Address to serve the page on
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Port to serve the page on; 0 picks a free one (printed in the ready line)
    #[arg(long, default_value_t = 8788)]
    pub port: u16,

    /// Where Replay sends a request (a listener's base URL); without it Replay is off
    #[arg(long, value_name = "URL")]
    pub to: Option<String>,

    /// The secrets the requests were sent with (for the verification steps and replays)
    #[command(flatten)]
    pub secrets: SecretArgs,

    #[arg(long, value_name = "DURATION", value_parser = parse_skew, help = max_skew_help())]
    pub max_skew: Option<cbkit::protocol::SkewWindow>,
}

const PROBE_EXAMPLES: &str = "\
Examples:
  cbkit probe wemeet --url https://cb.example.com/wemeet --token T
  cbkit probe dingtalk --url http://127.0.0.1:3000/dingtalk --json  # CBKIT_*
  cbkit probe feishu --url http://127.0.0.1:3000/lark --aes-key K --token T \\
      --no-negative   # no forged requests
  cbkit probe wemeet --url http://127.0.0.1:5001/wemeet --token T -v  # curl -v";

#[derive(Subcommand, Debug, Clone)]
pub enum ConfigCmd {
    /// Print the merged settings and their sources
    Show {
        #[command(flatten)]
        secrets: SecretArgs,
        /// A URL, as replay/probe would take it
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Args, Debug, Clone)]
pub struct DemoCmd {
    /// Only this vendor's fixtures
    #[arg(long, value_parser = vendor_parser())]
    pub vendor: Option<VendorId>,

    #[command(flatten)]
    pub inspect: InspectArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ProbeCmd {
    #[arg(value_parser = vendor_parser(), help = VendorId::help_list())]
    pub vendor: VendorId,

    /// The vendor's fixtures to send after its URL verification, instead of its sample event:
    /// names, patterns ('wemeet/meeting.*'), fixture files
    #[arg(value_name = "FIXTURE", value_parser = FixtureNameParser, hide_possible_values = true)]
    pub fixtures: Vec<String>,

    /// Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,

    /// Your callback URL (or `url` in the profile)
    #[arg(long)]
    pub url: Option<String>,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Per-request deadline instead of the vendor's
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<std::time::Duration>,

    /// Accept a self-signed or otherwise invalid TLS certificate
    #[arg(long)]
    pub insecure: bool,

    /// Skip the forged requests (bad signature, another receiver id or SdkAppid), for a receiver that answers everything on purpose
    #[arg(long)]
    pub no_negative: bool,

    /// Add or replace a header on every request: 'Name: value' (repeatable); 'Name:' removes one
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<cbkit::client::HeaderEdit>,
}

const REPLAY_EXAMPLES: &str = "\
Examples:
  cbkit replay wemeet/meeting.created --url http://127.0.0.1:8787/wemeet \\
      --token T --time-scale 0.01
  cbkit replay dingtalk --url http://127.0.0.1:8787/dingtalk \\
      --report junit.xml                          # every DingTalk fixture
  cbkit replay my-event.json --url https://example.test/cb \\
      --set payload.0.meeting_info.subject=Demo
  cbkit replay wemeet/meeting.created --url http://127.0.0.1:8787 \\
      --count 2000 --concurrency 16";

const FIXTURES_EXAMPLES: &str = "\
Examples:
  cbkit fixtures list
  cbkit fixtures list --json
  cbkit fixtures show wemeet/meeting.created
  cbkit fixtures show dingtalk/check_url --token T --receiver-id ding123 \\
      --aes-key Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7";

#[derive(Args, Debug, Clone)]
pub struct ReplayCmd {
    /// Fixture names (wemeet/meeting.created), patterns ('wemeet/meeting.*', '*/url-verification'), a vendor (all its fixtures), `all`, fixture files or directories
    #[arg(value_name = "FIXTURE", required_unless_present = "from_capture", value_parser = FixtureNameParser, hide_possible_values = true)]
    pub fixtures: Vec<String>,

    /// Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,

    /// Send only deliveries of these event types (the vendor's event field, or the fixture's
    /// event name; patterns allowed); a capture without a readable type is sent
    #[arg(long, value_name = "TYPE,…", value_delimiter = ',')]
    pub events: Vec<String>,

    /// The receiver's URL (or `url` in the profile)
    #[arg(long)]
    pub url: Option<String>,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Override a body field: JSON path=value (repeatable), e.g. payload[0].meeting_info.subject=Hi;
    /// the path must exist, or name a new key of an object
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,

    /// Like --set, but the value must be JSON (a number, true, null, an object…); applied after --set
    #[arg(long = "set-json", value_name = "PATH=JSON")]
    pub set_json: Vec<String>,

    /// Add or replace a header on every request: 'Name: value' (repeatable); 'Name:' removes one
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<cbkit::client::HeaderEdit>,

    /// Send this plaintext body instead of the fixture's, in the fixture's envelope
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// Replay a request captured by `cbkit listen --record` exactly as it was (FILE.jsonl[:N])
    #[arg(long, value_name = "FILE[:N]")]
    pub from_capture: Option<String>,

    /// WeChat message mode (default: safe with --aes-key, else plain; or the fixture's `mode`)
    #[arg(long, value_name = "MODE", value_parser = ["plain", "safe", "compat"])]
    pub mode: Option<String>,

    /// WeChat data format; the message must be written in it (default: the message's own)
    #[arg(long, value_name = "FORMAT", value_parser = ["xml", "json"])]
    pub format: Option<String>,

    #[arg(long, value_name = "DURATION", value_parser = parse_duration,
          help = format!("Per-attempt deadline instead of the vendor's ({})", summary::example_deadlines()))]
    pub timeout: Option<std::time::Duration>,

    /// Retry offsets after the first failure, instead of the vendor's: e.g. 60s,180s,360s
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_duration, conflicts_with = "no_retry")]
    pub retry_schedule: Option<Vec<std::time::Duration>>,

    /// Send each delivery once
    #[arg(long)]
    pub no_retry: bool,

    /// Compress every wait by this factor (0.01 turns 1 minute into 0.6 s); the timeline still shows vendor time
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = parse_scale)]
    pub time_scale: f64,

    /// Write a JUnit XML report (one test case per delivery) to FILE
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Load mode: send N deliveries of each fixture (unique ids), no retries, with a latency summary
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Load mode: deliveries in flight at once
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub concurrency: usize,

    /// Accept a self-signed or otherwise invalid TLS certificate
    #[arg(long)]
    pub insecure: bool,
}

#[derive(Subcommand, Debug, Clone)]
pub enum FixturesCmd {
    /// List the bundled fixtures (or those in --dir); with -q, names only
    List {
        /// Only these: names, vendors, patterns ('wemeet/meeting.*', '*/url-verification')
        #[arg(value_name = "FIXTURE", value_parser = FixtureNameParser, hide_possible_values = true)]
        fixtures: Vec<String>,
        /// Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)
        #[arg(long, value_name = "PATTERN")]
        exclude: Vec<String>,
        /// List fixture files in this directory instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Write a fixture file from a request captured by `cbkit listen --record`: its decrypted
    /// plaintext (configured token and ids as templates), replayed freshly signed
    #[command(after_help = FIXTURES_SAVE_EXAMPLES)]
    Save {
        /// The capture: FILE.jsonl for its last line, FILE.jsonl:N for line N
        #[arg(long, value_name = "FILE[:N]")]
        from_capture: String,
        /// Save as DIR/NAME.json (default: <vendor>/<event type>)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// The fixtures directory
        #[arg(long, value_name = "DIR", default_value = "fixtures")]
        dir: PathBuf,
        /// Keep the captured request too and replay it byte for byte (as `replay --from-capture`)
        #[arg(long)]
        exact: bool,
        /// Replace a fixture file that exists
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        secrets: SecretArgs,
    },
    /// Show a fixture's rendered plaintext and the exact HTTP request that would be sent
    Show {
        /// Fixture name or file
        #[arg(value_parser = FixtureNameParser, hide_possible_values = true)]
        name: String,
        #[command(flatten)]
        secrets: SecretArgs,
        /// Override a body field: JSON path=value (repeatable)
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<String>,
        /// Like --set, but the value must be JSON; applied after --set
        #[arg(long = "set-json", value_name = "PATH=JSON")]
        set_json: Vec<String>,
    },
}

const FIXTURES_SAVE_EXAMPLES: &str = "\
Examples:
  cbkit fixtures save --from-capture cap.jsonl:3   # secrets from CBKIT_*
  cbkit fixtures save --from-capture cap.jsonl --name team/joined --force
  cbkit fixtures save --from-capture cap.jsonl:3 --exact --dir tests/fixtures";

const LISTEN_EXAMPLES: &str = "\
Examples:
  cbkit listen --vendor dingtalk --port 8787    # secrets from CBKIT_* vars
  cbkit listen --vendor auto --port 0 --record cap.jsonl --exit-after 10
  cbkit listen --vendor wemeet --forward-to http://127.0.0.1:3000/callback
  cbkit listen --vendor wemeet --fail-first 2      # make a sender retry";

#[derive(Args, Debug, Clone)]
pub struct ListenCmd {
    /// Vendor to serve, or `auto` for all of them (on /<vendor> paths and by request shape at /);
    /// default: the profile's vendor, else auto
    #[arg(long)]
    pub vendor: Option<String>,

    /// Address to bind; anything but loopback exposes the listener and is warned about
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Port to bind; 0 picks a free one (printed in the ready line)
    #[arg(long, default_value_t = 8787)]
    pub port: u16,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// Answer 401/403 when verification fails (default: say why, answer anyway)
    #[arg(long)]
    pub strict: bool,

    /// Append one JSON line per request to FILE (written and flushed before the reply)
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,

    /// Print and record only requests of these event types (patterns allowed); every request
    /// is still answered, and one whose type cannot be read is still printed and recorded
    #[arg(long, value_name = "TYPE,…", value_delimiter = ',')]
    pub events: Vec<String>,

    /// Forward each request byte for byte to URL, relay the answer, and judge it by the vendor's rule
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,

    /// Add or replace a header on each forwarded request: 'Name: value' (repeatable); 'Name:' removes one
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE", value_parser = parse_header, requires = "forward_to")]
    pub headers: Vec<cbkit::client::HeaderEdit>,

    /// Fail the first N requests (HTTP 500, or --status) before answering correctly
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fail_first: u32,

    /// Status code for failed answers (with --fail-first), or for every answer without it
    #[arg(long, value_name = "CODE")]
    pub status: Option<u16>,

    /// Wait this long before answering (e.g. 500ms, 6s)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub delay: Option<std::time::Duration>,

    /// Answer with this exact text instead of the correct reply
    #[arg(long, value_name = "TEXT")]
    pub reply: Option<String>,

    /// Exit after the first request
    #[arg(long)]
    pub once: bool,

    /// Exit after N requests
    #[arg(long, value_name = "N")]
    pub exit_after: Option<u64>,

    /// Exit when no request arrives for this long (e.g. 30s)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<std::time::Duration>,

    /// Largest body accepted; larger ones get 413 (bytes, or with KiB/MiB)
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: usize,

    /// Requests processed at once; each connection's thread reads its own requests, and at most
    /// one per CPU verify, decrypt and record at the same moment
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub workers: usize,

    /// How long a client may take to send a whole request, headers and body, from its first
    /// byte; then it is answered 408 and the connection closed
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub read_timeout: std::time::Duration,

    /// How long an open connection may wait for its next request before it is closed
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub keep_alive: std::time::Duration,

    /// How long a client may take to complete the TLS handshake (with --tls-cert) before the
    /// connection is closed
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration)]
    pub tls_handshake_timeout: std::time::Duration,

    /// Connections served at once; more are answered 503 and closed. Default: from the
    /// open-file limit (raised to its hard limit at start), about a third of it, at most 4096
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,

    /// Serve HTTPS with this certificate (PEM); needs --tls-key
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// Private key (PEM) for --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    #[arg(long, value_name = "DURATION", value_parser = parse_skew, help = max_skew_help())]
    pub max_skew: Option<cbkit::protocol::SkewWindow>,

    #[command(flatten)]
    pub inspect: InspectArgs,
}

const SIGN_TIMESTAMP_HELP: &str =
    "Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s; default: now)";

const SIGN_EXAMPLES: &str = "\
Examples:
  cbkit sign wemeet --token bVPU6F8Htxl5XkAbp3jGV2xWp \\
      --timestamp 1609239040864 --nonce 14964161 \\
      --data eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9
  cbkit sign dingtalk --token mryue --timestamp 1608001896814 \\
      --nonce WL4PK6yA --encrypt 0vJiX6vlMQ== --json
  cbkit sign tencent-im --token xxxxyyyy --request-time 1669872112 \\
      --sdk-app-id 1400000000 --json
  cbkit sign feishu --aes-key 'encrypt key' --timestamp 1700000000 \\
      --nonce abc --body event.json";

const VERIFY_EXAMPLES: &str = "\
Examples:
  cbkit verify wemeet --token bVPU6F8Htxl5XkAbp3jGV2xWp \\
      --timestamp 1609239040864 --nonce 14964161 \\
      --data eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9 \\
      --signature 4fcedd2be2a8b7e9c2ecf1f6efbe442973ce9269
  cbkit verify dingtalk --request captured.http --explain   # CBKIT_* secrets
  cbkit verify dingtalk --request captured.http \\
      --computed 3b20e66a...   # what your receiver computed
  cbkit verify feishu --from-capture cap.jsonl:3 --json";

const DECODE_EXAMPLES: &str = "\
Examples:
  cbkit decode wemeet --data eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCJ9
  cbkit decode dingtalk --aes-key Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7 \\
      --receiver-id ding6ccabc44d2c8d38b --body body.json
  pbpaste | cbkit decode dingtalk --json   # {\"encrypt\":...} or a raw request
  cbkit decode wecom --echostr 'P9nAzCzy...%3D%3D' --aes-key KEY";

const ENCRYPT_EXAMPLES: &str = "\
Examples:
  cbkit encrypt dingtalk --token T --receiver-id ding123 \\
      --aes-key Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7 \\
      --plaintext '{\"EventType\":\"check_url\"}' --json
  cbkit encrypt dingtalk --token T --receiver-id ding123 \\
      --aes-key Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7 \\
      --reply                                 # the encrypted `success` map
  cbkit encrypt wemeet --token T --plaintext hello --handshake  # check_str GET
  cbkit encrypt feishu --aes-key 'encrypt key' --body event.json";

/// Vendor secrets and ids; each also comes from its environment variable.
#[derive(Args, Debug, Clone, Default)]
pub struct SecretArgs {
    /// Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token
    #[arg(long, env = "CBKIT_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key
    #[arg(
        long,
        env = "CBKIT_AES_KEY",
        hide_env_values = true,
        visible_alias = "encoding-aes-key"
    )]
    pub aes_key: Option<String>,

    /// Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID
    #[arg(long, env = "CBKIT_RECEIVER_ID", hide_env_values = true, visible_aliases = ["corp-id", "app-key", "suite-key"])]
    pub receiver_id: Option<String>,

    /// Tencent IM/Room SDKAppID
    #[arg(
        long,
        env = "CBKIT_SDK_APP_ID",
        hide_env_values = true,
        alias = "sdkappid"
    )]
    pub sdk_app_id: Option<String>,
}

/// The fields of one callback, from flags, a body, or a captured request.
#[derive(Args, Debug, Clone, Default)]
pub struct MessageArgs {
    /// Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)
    #[arg(long, visible_alias = "timeStamp")]
    pub timestamp: Option<String>,

    /// Nonce as sent
    #[arg(long)]
    pub nonce: Option<String>,

    /// The received signature (msg_signature, X-Lark-Signature, Sign)
    #[arg(long, visible_alias = "msg-signature")]
    pub signature: Option<String>,

    /// Tencent Meeting POST `data` string, exactly as received
    #[arg(long)]
    pub data: Option<String>,

    /// Tencent Meeting GET `check_str`, URL-encoded or decoded
    #[arg(long)]
    pub check_str: Option<String>,

    /// DingTalk/WeCom/Feishu/WeChat `encrypt` string
    #[arg(long)]
    pub encrypt: Option<String>,

    /// WeCom/WeChat GET `echostr`, URL-encoded or decoded
    #[arg(long)]
    pub echostr: Option<String>,

    /// Tencent IM RequestTime (Unix seconds)
    #[arg(long)]
    pub request_time: Option<String>,

    /// Tencent IM CallbackCommand (for the query string)
    #[arg(long)]
    pub command: Option<String>,

    /// Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin
    #[arg(long, value_name = "FILE")]
    pub request: Option<PathBuf>,

    /// A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N
    #[arg(long, value_name = "FILE[:N]", conflicts_with_all = ["request", "body"])]
    pub from_capture: Option<String>,

    /// A request copied as cURL (browser devtools, logs): 'curl https://... -H ... --data-raw ...'
    #[arg(long, value_name = "COMMAND", conflicts_with_all = ["request", "body", "from_capture"])]
    pub curl: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct MessageCmd {
    #[arg(value_parser = vendor_parser(), help = VendorId::help_list())]
    pub vendor: VendorId,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(flatten)]
    pub message: MessageArgs,
}

#[derive(Args, Debug, Clone)]
pub struct DecodeCmd {
    #[arg(value_parser = vendor_parser(), required_unless_present = "all",
          help = format!("{} (with --all: optional, each capture line's own)", VendorId::help_list()))]
    pub vendor: Option<VendorId>,

    #[command(flatten)]
    pub secrets: SecretArgs,

    #[command(flatten)]
    pub message: MessageArgs,

    /// With --from-capture FILE: decode every line, one JSON object per line on stdout
    #[arg(long, requires = "from_capture", conflicts_with_all = BATCH_CONFLICTS)]
    pub all: bool,

    /// Decode request bodies read from stdin, one a line; one JSON object per line on stdout
    #[arg(long, conflicts_with_all = ["all", "from_capture"], conflicts_with_all = BATCH_CONFLICTS)]
    pub lines: bool,
}

/// What a batch decode takes from its lines, not from flags.
const BATCH_CONFLICTS: [&str; 11] = [
    "body",
    "request",
    "curl",
    "data",
    "check_str",
    "encrypt",
    "echostr",
    "timestamp",
    "nonce",
    "signature",
    "request_time",
];

#[derive(Args, Debug, Clone)]
pub struct VerifyCmd {
    #[command(flatten)]
    pub msg: MessageCmd,

    /// Show the algorithm step by step and name the mistake that reproduces a wrong signature
    /// (the default when a check fails and stdout is a terminal)
    #[arg(long, conflicts_with = "no_explain")]
    pub explain: bool,

    /// Never explain, even on a terminal
    #[arg(long)]
    pub no_explain: bool,

    /// The signature your receiver computed for this request: explain shows the correct one
    /// beside it and names the mistake that reproduces yours (implies --explain)
    #[arg(long, value_name = "SIG", conflicts_with = "no_explain")]
    pub computed: Option<String>,

    #[arg(long, value_name = "DURATION", value_parser = parse_skew, help = max_skew_help())]
    pub max_skew: Option<cbkit::protocol::SkewWindow>,
}

#[derive(Args, Debug, Clone)]
pub struct EncryptCmd {
    /// wemeet, dingtalk, wecom, feishu (lark)
    #[arg(value_parser = vendor_parser())]
    pub vendor: VendorId,

    #[command(flatten)]
    pub secrets: SecretArgs,

    /// The plaintext to encrypt
    #[arg(long, conflicts_with = "body")]
    pub plaintext: Option<String>,

    /// Read the plaintext from FILE, or `-` for stdin
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,

    /// Build the URL-verification GET (Tencent Meeting check_str, WeCom echostr) instead of an event POST
    #[arg(long)]
    pub handshake: bool,

    /// Build the receiver's encrypted reply instead (DingTalk `success` map, WeCom passive XML)
    #[arg(long)]
    pub reply: bool,

    /// Timestamp to use (default: now, in the vendor's unit)
    #[arg(long)]
    pub timestamp: Option<String>,

    /// Nonce to use (default: fresh random)
    #[arg(long)]
    pub nonce: Option<String>,
}

/// What a subcommand's arguments say differently from another subcommand's that shares them;
/// applied when clap builds the subcommand (its arguments are [`Deferred`]).
fn adjust_subcommand(cmd: clap::Command) -> clap::Command {
    match cmd.get_name() {
        // Only sign invents the time and nonce; verify and decode take what was received.
        "sign" => cmd
            .mut_arg("timestamp", |a| a.help(SIGN_TIMESTAMP_HELP))
            .mut_arg("nonce", |a| {
                a.help("Nonce to sign with (default: a fresh random one)")
            })
            .mut_arg("request_time", |a| {
                a.help("Tencent IM RequestTime, Unix seconds (default: now)")
            }),
        _ => cmd,
    }
}

#[path = "cli_values.rs"]
mod values;
pub use values::{FixtureNameParser, parse_header};
use values::{
    max_skew_help, parse_duration, parse_scale, parse_size, parse_skew, replay_after_help,
    vendor_parser,
};

#[path = "cli_profile.rs"]
mod profile;

#[path = "cli_deferred.rs"]
mod deferred;
pub use deferred::{Deferred, Selected, command_for};

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
