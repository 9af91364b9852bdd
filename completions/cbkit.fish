# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cbkit_global_optspecs
    string join \n json color= show-secrets q/quiet v/verbose config= profile= h/help V/version
end

function __fish_cbkit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cbkit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cbkit_using_subcommand
    set -l cmd (__fish_cbkit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cbkit -n "__fish_cbkit_needs_command" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_needs_command" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_needs_command" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_needs_command" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_needs_command" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_needs_command" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_needs_command" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_needs_command" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_needs_command" -s V -l version -d 'Print version'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "sign" -d 'Compute the signature (and the headers/query it travels in) a vendor would send'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "verify" -d 'Check a received callback\'s signature (and ids); exit 1 with what differed'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "decode" -d 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "encrypt" -d 'Build what the vendor would send for a plaintext (or, with --reply, the receiver\'s encrypted answer)'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "probe" -d 'Run the vendor\'s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "replay" -d 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "fixtures" -d 'List or show the bundled fixtures (real vendor event bodies)'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "demo" -d 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "config" -d 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "listen" -d 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "inspect" -d 'Open a capture file (listen --record) in the inspector page, without a listener'
complete -c cbkit -n "__fish_cbkit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l signature -l msg-signature -d 'The received signature (msg_signature, X-Lark-Signature, Sign)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l data -d 'Tencent Meeting POST `data` string, exactly as received' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l check-str -d 'Tencent Meeting GET `check_str`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l encrypt -d 'DingTalk/WeCom/Feishu/WeChat `encrypt` string' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l echostr -d 'WeCom/WeChat GET `echostr`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l command -d 'Tencent IM CallbackCommand (for the query string)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l body -d 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l request -d 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l from-capture -d 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l curl -d 'A request copied as cURL (browser devtools, logs): \'curl https://... -H ... --data-raw ...\'' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l timestamp -l timeStamp -d 'Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s; default: now)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l nonce -d 'Nonce to sign with (default: a fresh random one)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l request-time -d 'Tencent IM RequestTime, Unix seconds (default: now)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand sign" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l timestamp -l timeStamp -d 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l nonce -d 'Nonce as sent' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l signature -l msg-signature -d 'The received signature (msg_signature, X-Lark-Signature, Sign)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l data -d 'Tencent Meeting POST `data` string, exactly as received' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l check-str -d 'Tencent Meeting GET `check_str`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l encrypt -d 'DingTalk/WeCom/Feishu/WeChat `encrypt` string' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l echostr -d 'WeCom/WeChat GET `echostr`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l request-time -d 'Tencent IM RequestTime (Unix seconds)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l command -d 'Tencent IM CallbackCommand (for the query string)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l body -d 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l request -d 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l from-capture -d 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l curl -d 'A request copied as cURL (browser devtools, logs): \'curl https://... -H ... --data-raw ...\'' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l computed -d 'The signature your receiver computed for this request: explain shows the correct one beside it and names the mistake that reproduces yours (implies --explain)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l max-skew -d 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor\'s documented window: Tencent IM 60 s; none for the others)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l explain -d 'Show the algorithm step by step and name the mistake that reproduces a wrong signature (the default when a check fails and stdout is a terminal)'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l no-explain -d 'Never explain, even on a terminal'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand verify" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l timestamp -l timeStamp -d 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l nonce -d 'Nonce as sent' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l signature -l msg-signature -d 'The received signature (msg_signature, X-Lark-Signature, Sign)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l data -d 'Tencent Meeting POST `data` string, exactly as received' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l check-str -d 'Tencent Meeting GET `check_str`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l encrypt -d 'DingTalk/WeCom/Feishu/WeChat `encrypt` string' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l echostr -d 'WeCom/WeChat GET `echostr`, URL-encoded or decoded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l request-time -d 'Tencent IM RequestTime (Unix seconds)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l command -d 'Tencent IM CallbackCommand (for the query string)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l body -d 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l request -d 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l from-capture -d 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l curl -d 'A request copied as cURL (browser devtools, logs): \'curl https://... -H ... --data-raw ...\'' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l all -d 'With --from-capture FILE: decode every line, one JSON object per line on stdout'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l lines -d 'Decode request bodies read from stdin, one a line; one JSON object per line on stdout'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand decode" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l plaintext -d 'The plaintext to encrypt' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l body -d 'Read the plaintext from FILE, or `-` for stdin' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l timestamp -d 'Timestamp to use (default: now, in the vendor\'s unit)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l nonce -d 'Nonce to use (default: fresh random)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l handshake -d 'Build the URL-verification GET (Tencent Meeting check_str, WeCom echostr) instead of an event POST'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l reply -d 'Build the receiver\'s encrypted reply instead (DingTalk `success` map, WeCom passive XML)'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand encrypt" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l exclude -d 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l url -d 'Your callback URL (or `url` in the profile)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l timeout -d 'Per-request deadline instead of the vendor\'s' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -s H -l header -d 'Add or replace a header on every request: \'Name: value\' (repeatable); \'Name:\' removes one' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l insecure -d 'Accept a self-signed or otherwise invalid TLS certificate'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l no-negative -d 'Skip the forged requests (bad signature, another receiver id or SdkAppid), for a receiver that answers everything on purpose'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand probe" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l exclude -d 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l events -d 'Send only deliveries of these event types (the vendor\'s event field, or the fixture\'s event name; patterns allowed); a capture without a readable type is sent' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l url -d 'The receiver\'s URL (or `url` in the profile)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l set -d 'Override a body field: JSON path=value (repeatable), e.g. payload[0].meeting_info.subject=Hi; the path must exist, or name a new key of an object' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l set-json -d 'Like --set, but the value must be JSON (a number, true, null, an object…); applied after --set' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -s H -l header -d 'Add or replace a header on every request: \'Name: value\' (repeatable); \'Name:\' removes one' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l body -d 'Send this plaintext body instead of the fixture\'s, in the fixture\'s envelope' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l from-capture -d 'Replay a request captured by `cbkit listen --record` exactly as it was (FILE.jsonl[:N])' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l mode -d 'WeChat message mode (default: safe with --aes-key, else plain; or the fixture\'s `mode`)' -r -f -a "plain\t''
safe\t''
compat\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l format -d 'WeChat data format; the message must be written in it (default: the message\'s own)' -r -f -a "xml\t''
json\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l timeout -d 'Per-attempt deadline instead of the vendor\'s (Tencent Meeting: 3 s GET, 5 s POST)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l retry-schedule -d 'Retry offsets after the first failure, instead of the vendor\'s: e.g. 60s,180s,360s' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l time-scale -d 'Compress every wait by this factor (0.01 turns 1 minute into 0.6 s); the timeline still shows vendor time' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l report -d 'Write a JUnit XML report (one test case per delivery) to FILE' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l count -d 'Load mode: send N deliveries of each fixture (unique ids), no retries, with a latency summary' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l concurrency -d 'Load mode: deliveries in flight at once' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l no-retry -d 'Send each delivery once'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l insecure -d 'Accept a self-signed or otherwise invalid TLS certificate'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand replay" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -f -a "list" -d 'List the bundled fixtures (or those in --dir); with -q, names only'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -f -a "save" -d 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -f -a "show" -d 'Show a fixture\'s rendered plaintext and the exact HTTP request that would be sent'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and not __fish_seen_subcommand_from list save show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l exclude -d 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l dir -d 'List fixture files in this directory instead' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l from-capture -d 'The capture: FILE.jsonl for its last line, FILE.jsonl:N for line N' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l name -d 'Save as DIR/NAME.json (default: <vendor>/<event type>)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l dir -d 'The fixtures directory' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l exact -d 'Keep the captured request too and replay it byte for byte (as `replay --from-capture`)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l force -d 'Replace a fixture file that exists'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l set -d 'Override a body field: JSON path=value (repeatable)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l set-json -d 'Like --set, but the value must be JSON; applied after --set' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the bundled fixtures (or those in --dir); with -q, names only'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from help" -f -a "save" -d 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a fixture\'s rendered plaintext and the exact HTTP request that would be sent'
complete -c cbkit -n "__fish_cbkit_using_subcommand fixtures; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l vendor -d 'Only this vendor\'s fixtures' -r -f -a "wemeet\t''
tencent-im\t''
tim\t''
dingtalk\t''
wecom\t''
feishu\t''
lark\t''
wechat\t''
weixin\t''
mp\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l inspect-port -d 'Serve the inspector on this port of its own instead of under /_cbkit/ (0: any free one); implies --inspect on loopback' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l inspect-keep -d 'How many requests the inspector remembers (the oldest are forgotten; --record keeps all)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l inspect -d 'Serve the inspector page at /_cbkit/ (every request live: steps, plaintext, replay); needed explicitly when --host is not loopback'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand demo" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the merged settings and their sources'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l url -d 'A URL, as replay/probe would take it' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the merged settings and their sources'
complete -c cbkit -n "__fish_cbkit_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand completions" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand man" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l vendor -d 'Vendor to serve, or `auto` for all of them (on /<vendor> paths and by request shape at /); default: the profile\'s vendor, else auto' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l host -d 'Address to bind; anything but loopback exposes the listener and is warned about' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l port -d 'Port to bind; 0 picks a free one (printed in the ready line)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l record -d 'Append one JSON line per request to FILE (written and flushed before the reply)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l events -d 'Print and record only requests of these event types (patterns allowed); every request is still answered, and one whose type cannot be read is still printed and recorded' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l forward-to -d 'Forward each request byte for byte to URL, relay the answer, and judge it by the vendor\'s rule' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -s H -l header -d 'Add or replace a header on each forwarded request: \'Name: value\' (repeatable); \'Name:\' removes one' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l fail-first -d 'Fail the first N requests (HTTP 500, or --status) before answering correctly' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l status -d 'Status code for failed answers (with --fail-first), or for every answer without it' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l delay -d 'Wait this long before answering (e.g. 500ms, 6s)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l reply -d 'Answer with this exact text instead of the correct reply' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l exit-after -d 'Exit after N requests' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l idle-timeout -d 'Exit when no request arrives for this long (e.g. 30s)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l max-body -d 'Largest body accepted; larger ones get 413 (bytes, or with KiB/MiB)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l workers -d 'Requests processed at once; each connection\'s thread reads its own requests, and at most one per CPU verify, decrypt and record at the same moment' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l read-timeout -d 'How long a client may take to send a whole request, headers and body, from its first byte; then it is answered 408 and the connection closed' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l keep-alive -d 'How long an open connection may wait for its next request before it is closed' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l tls-handshake-timeout -d 'How long a client may take to complete the TLS handshake (with --tls-cert) before the connection is closed' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l max-connections -d 'Connections served at once; more are answered 503 and closed. Default: from the open-file limit (raised to its hard limit at start), about a third of it, at most 4096' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l tls-cert -d 'Serve HTTPS with this certificate (PEM); needs --tls-key' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l tls-key -d 'Private key (PEM) for --tls-cert' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l max-skew -d 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor\'s documented window: Tencent IM 60 s; none for the others)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l inspect-port -d 'Serve the inspector on this port of its own instead of under /_cbkit/ (0: any free one); implies --inspect on loopback' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l inspect-keep -d 'How many requests the inspector remembers (the oldest are forgotten; --record keeps all)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l strict -d 'Answer 401/403 when verification fails (default: say why, answer anyway)'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l once -d 'Exit after the first request'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l inspect -d 'Serve the inspector page at /_cbkit/ (every request live: steps, plaintext, replay); needed explicitly when --host is not loopback'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand listen" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l host -d 'Address to serve the page on' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l port -d 'Port to serve the page on; 0 picks a free one (printed in the ready line)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l to -d 'Where Replay sends a request (a listener\'s base URL); without it Replay is off' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l token -d 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l aes-key -l encoding-aes-key -d 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l receiver-id -l corp-id -l app-key -l suite-key -d 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l sdk-app-id -d 'Tencent IM/Room SDKAppID' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l max-skew -d 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor\'s documented window: Tencent IM 60 s; none for the others)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l color -d 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l config -d 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)' -r -F
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l profile -d 'Profile to take vendor, secrets and url from (default: the file\'s default_profile, or `default`)' -r
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -l show-secrets -d 'Show secrets in output instead of masking them'
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -s q -l quiet -d 'Less output: only results and errors'
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -s v -l verbose -d 'More output (repeatable)'
complete -c cbkit -n "__fish_cbkit_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "sign" -d 'Compute the signature (and the headers/query it travels in) a vendor would send'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "verify" -d 'Check a received callback\'s signature (and ids); exit 1 with what differed'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "decode" -d 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "encrypt" -d 'Build what the vendor would send for a plaintext (or, with --reply, the receiver\'s encrypted answer)'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "probe" -d 'Run the vendor\'s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "replay" -d 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "fixtures" -d 'List or show the bundled fixtures (real vendor event bodies)'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "demo" -d 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "config" -d 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "man" -d 'Print the man page (roff)'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "listen" -d 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "inspect" -d 'Open a capture file (listen --record) in the inspector page, without a listener'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and not __fish_seen_subcommand_from sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and __fish_seen_subcommand_from fixtures" -f -a "list" -d 'List the bundled fixtures (or those in --dir); with -q, names only'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and __fish_seen_subcommand_from fixtures" -f -a "save" -d 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and __fish_seen_subcommand_from fixtures" -f -a "show" -d 'Show a fixture\'s rendered plaintext and the exact HTTP request that would be sent'
complete -c cbkit -n "__fish_cbkit_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the merged settings and their sources'
