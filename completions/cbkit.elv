
use builtin;
use str;

set edit:completion:arg-completer[cbkit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cbkit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cbkit'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sign 'Compute the signature (and the headers/query it travels in) a vendor would send'
            cand verify 'Check a received callback''s signature (and ids); exit 1 with what differed'
            cand decode 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext'
            cand encrypt 'Build what the vendor would send for a plaintext (or, with --reply, the receiver''s encrypted answer)'
            cand probe 'Run the vendor''s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes'
            cand replay 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule'
            cand fixtures 'List or show the bundled fixtures (real vendor event bodies)'
            cand demo 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets'
            cand config 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand listen 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;sign'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --msg-signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --data 'Tencent Meeting POST `data` string, exactly as received'
            cand --check-str 'Tencent Meeting GET `check_str`, URL-encoded or decoded'
            cand --encrypt 'DingTalk/WeCom/Feishu `encrypt` string'
            cand --echostr 'WeCom/WeChat GET `echostr`, URL-encoded or decoded'
            cand --command 'Tencent IM CallbackCommand (for the query string)'
            cand --body 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)'
            cand --request 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin'
            cand --from-capture 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N'
            cand --curl 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...'''
            cand --timestamp 'Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s; default: now)'
            cand --timeStamp 'Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s; default: now)'
            cand --nonce 'Nonce to sign with (default: a fresh random one)'
            cand --request-time 'Tencent IM RequestTime, Unix seconds (default: now)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;verify'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --timestamp 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s)'
            cand --timeStamp 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s)'
            cand --nonce 'Nonce as sent'
            cand --signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --msg-signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --data 'Tencent Meeting POST `data` string, exactly as received'
            cand --check-str 'Tencent Meeting GET `check_str`, URL-encoded or decoded'
            cand --encrypt 'DingTalk/WeCom/Feishu `encrypt` string'
            cand --echostr 'WeCom/WeChat GET `echostr`, URL-encoded or decoded'
            cand --request-time 'Tencent IM RequestTime (Unix seconds)'
            cand --command 'Tencent IM CallbackCommand (for the query string)'
            cand --body 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)'
            cand --request 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin'
            cand --from-capture 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N'
            cand --curl 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...'''
            cand --computed 'The signature your receiver computed for this request: explain shows the correct one beside it and names the mistake that reproduces yours (implies --explain)'
            cand --max-skew 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor''s documented window: Tencent IM 60 s; none for the others)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --explain 'Show the algorithm step by step and name the mistake that reproduces a wrong signature (the default when a check fails and stdout is a terminal)'
            cand --no-explain 'Never explain, even on a terminal'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;decode'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --timestamp 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s)'
            cand --timeStamp 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu: s)'
            cand --nonce 'Nonce as sent'
            cand --signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --msg-signature 'The received signature (msg_signature, X-Lark-Signature, Sign)'
            cand --data 'Tencent Meeting POST `data` string, exactly as received'
            cand --check-str 'Tencent Meeting GET `check_str`, URL-encoded or decoded'
            cand --encrypt 'DingTalk/WeCom/Feishu `encrypt` string'
            cand --echostr 'WeCom/WeChat GET `echostr`, URL-encoded or decoded'
            cand --request-time 'Tencent IM RequestTime (Unix seconds)'
            cand --command 'Tencent IM CallbackCommand (for the query string)'
            cand --body 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)'
            cand --request 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin'
            cand --from-capture 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N'
            cand --curl 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...'''
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --all 'With --from-capture FILE: decode every line, one JSON object per line on stdout'
            cand --lines 'Decode request bodies read from stdin, one a line; one JSON object per line on stdout'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;encrypt'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --plaintext 'The plaintext to encrypt'
            cand --body 'Read the plaintext from FILE, or `-` for stdin'
            cand --timestamp 'Timestamp to use (default: now, in the vendor''s unit)'
            cand --nonce 'Nonce to use (default: fresh random)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --handshake 'Build the URL-verification GET (Tencent Meeting check_str, WeCom echostr) instead of an event POST'
            cand --reply 'Build the receiver''s encrypted reply instead (DingTalk `success` map, WeCom passive XML)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;probe'= {
            cand --url 'Your callback URL (or `url` in the profile)'
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --timeout 'Per-request deadline instead of the vendor''s'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --insecure 'Accept a self-signed or otherwise invalid TLS certificate'
            cand --no-negative 'Skip the forged requests (bad signature, another receiver id or SdkAppid), for a receiver that answers everything on purpose'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;replay'= {
            cand --url 'The receiver''s URL (or `url` in the profile)'
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --set 'Override a body field: JSON path=value (repeatable), e.g. payload.0.meeting_info.subject=Hi'
            cand --body 'Send this plaintext body instead of the fixture''s, in the fixture''s envelope'
            cand --from-capture 'Replay a request captured by `cbkit listen --record` exactly as it was (FILE.jsonl[:N])'
            cand --mode 'WeChat message mode (default: safe with --aes-key, else plain; or the fixture''s `mode`)'
            cand --format 'WeChat data format; the message must be written in it (default: the message''s own)'
            cand --timeout 'Per-attempt deadline instead of the vendor''s (Tencent Meeting: 3 s GET, 5 s POST)'
            cand --retry-schedule 'Retry offsets after the first failure, instead of the vendor''s: e.g. 60s,180s,360s'
            cand --time-scale 'Compress every wait by this factor (0.01 turns 1 minute into 0.6 s); the timeline still shows vendor time'
            cand --report 'Write a JUnit XML report (one test case per delivery) to FILE'
            cand --count 'Load mode: send N deliveries of each fixture (unique ids), no retries, with a latency summary'
            cand --concurrency 'Load mode: deliveries in flight at once'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --no-retry 'Send each delivery once'
            cand --insecure 'Accept a self-signed or otherwise invalid TLS certificate'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;fixtures'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the bundled fixtures (or those in --dir); with -q, names only'
            cand save 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
            cand show 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;fixtures;list'= {
            cand --dir 'List fixture files in this directory instead'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;fixtures;save'= {
            cand --from-capture 'The capture: FILE.jsonl for its last line, FILE.jsonl:N for line N'
            cand --name 'Save as DIR/NAME.json (default: <vendor>/<event type>)'
            cand --dir 'The fixtures directory'
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --exact 'Keep the captured request too and replay it byte for byte (as `replay --from-capture`)'
            cand --force 'Replace a fixture file that exists'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;fixtures;show'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --set 'Override a body field: JSON path=value (repeatable)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;fixtures;help'= {
            cand list 'List the bundled fixtures (or those in --dir); with -q, names only'
            cand save 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
            cand show 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;fixtures;help;list'= {
        }
        &'cbkit;fixtures;help;save'= {
        }
        &'cbkit;fixtures;help;show'= {
        }
        &'cbkit;fixtures;help;help'= {
        }
        &'cbkit;demo'= {
            cand --vendor 'Only this vendor''s fixtures'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;config'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'Print the merged settings and their sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;config;show'= {
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --url 'A URL, as replay/probe would take it'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;config;help'= {
            cand show 'Print the merged settings and their sources'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;config;help;show'= {
        }
        &'cbkit;config;help;help'= {
        }
        &'cbkit;completions'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;man'= {
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;listen'= {
            cand --vendor 'Vendor to serve, or `auto` for all of them (on /<vendor> paths and by request shape at /); default: the profile''s vendor, else auto'
            cand --host 'Address to bind; anything but loopback exposes the listener and is warned about'
            cand --port 'Port to bind; 0 picks a free one (printed in the ready line)'
            cand --token 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token'
            cand --aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --encoding-aes-key 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key'
            cand --receiver-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --corp-id 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --app-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --suite-key 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID'
            cand --sdk-app-id 'Tencent IM/Room SDKAppID'
            cand --record 'Append one JSON line per request to FILE (written and flushed before the reply)'
            cand --forward-to 'Forward each request byte for byte to URL, relay the answer, and judge it by the vendor''s rule'
            cand --fail-first 'Fail the first N requests (HTTP 500, or --status) before answering correctly'
            cand --status 'Status code for failed answers (with --fail-first), or for every answer without it'
            cand --delay 'Wait this long before answering (e.g. 500ms, 6s)'
            cand --reply 'Answer with this exact text instead of the correct reply'
            cand --exit-after 'Exit after N requests'
            cand --idle-timeout 'Exit when no request arrives for this long (e.g. 30s)'
            cand --max-body 'Largest body accepted; larger ones get 413 (bytes, or with KiB/MiB)'
            cand --workers 'Requests processed at once; each connection''s thread reads its own requests, and at most one less than the CPUs verify, decrypt and record at the same moment'
            cand --read-timeout 'How long a client may take to send a whole request, headers and body, from its first byte; then it is answered 408 and the connection closed'
            cand --keep-alive 'How long an open connection may wait for its next request before it is closed'
            cand --tls-handshake-timeout 'How long a client may take to complete the TLS handshake (with --tls-cert) before the connection is closed'
            cand --max-connections 'Connections served at once; more are answered 503 and closed. Default: from the open-file limit (raised to its hard limit at start), about a third of it, at most 4096'
            cand --tls-cert 'Serve HTTPS with this certificate (PEM); needs --tls-key'
            cand --tls-key 'Private key (PEM) for --tls-cert'
            cand --max-skew 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor''s documented window: Tencent IM 60 s; none for the others)'
            cand --color 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)'
            cand --profile 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)'
            cand --strict 'Answer 401/403 when verification fails (default: say why, answer anyway)'
            cand --once 'Exit after the first request'
            cand --json 'Print one JSON document on stdout instead of text'
            cand --show-secrets 'Show secrets in output instead of masking them'
            cand -q 'Less output: only results and errors'
            cand --quiet 'Less output: only results and errors'
            cand -v 'More output (repeatable)'
            cand --verbose 'More output (repeatable)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'cbkit;help'= {
            cand sign 'Compute the signature (and the headers/query it travels in) a vendor would send'
            cand verify 'Check a received callback''s signature (and ids); exit 1 with what differed'
            cand decode 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext'
            cand encrypt 'Build what the vendor would send for a plaintext (or, with --reply, the receiver''s encrypted answer)'
            cand probe 'Run the vendor''s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes'
            cand replay 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule'
            cand fixtures 'List or show the bundled fixtures (real vendor event bodies)'
            cand demo 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets'
            cand config 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand listen 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbkit;help;sign'= {
        }
        &'cbkit;help;verify'= {
        }
        &'cbkit;help;decode'= {
        }
        &'cbkit;help;encrypt'= {
        }
        &'cbkit;help;probe'= {
        }
        &'cbkit;help;replay'= {
        }
        &'cbkit;help;fixtures'= {
            cand list 'List the bundled fixtures (or those in --dir); with -q, names only'
            cand save 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
            cand show 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent'
        }
        &'cbkit;help;fixtures;list'= {
        }
        &'cbkit;help;fixtures;save'= {
        }
        &'cbkit;help;fixtures;show'= {
        }
        &'cbkit;help;demo'= {
        }
        &'cbkit;help;config'= {
            cand show 'Print the merged settings and their sources'
        }
        &'cbkit;help;config;show'= {
        }
        &'cbkit;help;completions'= {
        }
        &'cbkit;help;man'= {
        }
        &'cbkit;help;listen'= {
        }
        &'cbkit;help;help'= {
        }
    ]
    $completions[$command]
}
