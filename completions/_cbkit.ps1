
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cbkit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cbkit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cbkit' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Compute the signature (and the headers/query it travels in) a vendor would send')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a received callback''s signature (and ids); exit 1 with what differed')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Build what the vendor would send for a plaintext (or, with --reply, the receiver''s encrypted answer)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Run the vendor''s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule')
            [CompletionResult]::new('fixtures', 'fixtures', [CompletionResultType]::ParameterValue, 'List or show the bundled fixtures (real vendor event bodies)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Open a capture file (listen --record) in the inspector page, without a listener')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;sign' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--msg-signature', '--msg-signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Tencent Meeting POST `data` string, exactly as received')
            [CompletionResult]::new('--check-str', '--check-str', [CompletionResultType]::ParameterName, 'Tencent Meeting GET `check_str`, URL-encoded or decoded')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'DingTalk/WeCom/Feishu/WeChat `encrypt` string')
            [CompletionResult]::new('--echostr', '--echostr', [CompletionResultType]::ParameterName, 'WeCom/WeChat GET `echostr`, URL-encoded or decoded')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Tencent IM CallbackCommand (for the query string)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin')
            [CompletionResult]::new('--from-capture', '--from-capture', [CompletionResultType]::ParameterName, 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...''')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s; default: now)')
            [CompletionResult]::new('--timeStamp', '--timeStamp', [CompletionResultType]::ParameterName, 'Timestamp to sign with (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s; default: now)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'Nonce to sign with (default: a fresh random one)')
            [CompletionResult]::new('--request-time', '--request-time', [CompletionResultType]::ParameterName, 'Tencent IM RequestTime, Unix seconds (default: now)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;verify' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)')
            [CompletionResult]::new('--timeStamp', '--timeStamp', [CompletionResultType]::ParameterName, 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'Nonce as sent')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--msg-signature', '--msg-signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Tencent Meeting POST `data` string, exactly as received')
            [CompletionResult]::new('--check-str', '--check-str', [CompletionResultType]::ParameterName, 'Tencent Meeting GET `check_str`, URL-encoded or decoded')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'DingTalk/WeCom/Feishu/WeChat `encrypt` string')
            [CompletionResult]::new('--echostr', '--echostr', [CompletionResultType]::ParameterName, 'WeCom/WeChat GET `echostr`, URL-encoded or decoded')
            [CompletionResult]::new('--request-time', '--request-time', [CompletionResultType]::ParameterName, 'Tencent IM RequestTime (Unix seconds)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Tencent IM CallbackCommand (for the query string)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin')
            [CompletionResult]::new('--from-capture', '--from-capture', [CompletionResultType]::ParameterName, 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...''')
            [CompletionResult]::new('--computed', '--computed', [CompletionResultType]::ParameterName, 'The signature your receiver computed for this request: explain shows the correct one beside it and names the mistake that reproduces yours (implies --explain)')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor''s documented window: Tencent IM 60 s; none for the others)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the algorithm step by step and name the mistake that reproduces a wrong signature (the default when a check fails and stdout is a terminal)')
            [CompletionResult]::new('--no-explain', '--no-explain', [CompletionResultType]::ParameterName, 'Never explain, even on a terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;decode' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)')
            [CompletionResult]::new('--timeStamp', '--timeStamp', [CompletionResultType]::ParameterName, 'Timestamp as sent (Tencent Meeting/DingTalk: ms; WeCom/Feishu/WeChat: s)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'Nonce as sent')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--msg-signature', '--msg-signature', [CompletionResultType]::ParameterName, 'The received signature (msg_signature, X-Lark-Signature, Sign)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Tencent Meeting POST `data` string, exactly as received')
            [CompletionResult]::new('--check-str', '--check-str', [CompletionResultType]::ParameterName, 'Tencent Meeting GET `check_str`, URL-encoded or decoded')
            [CompletionResult]::new('--encrypt', '--encrypt', [CompletionResultType]::ParameterName, 'DingTalk/WeCom/Feishu/WeChat `encrypt` string')
            [CompletionResult]::new('--echostr', '--echostr', [CompletionResultType]::ParameterName, 'WeCom/WeChat GET `echostr`, URL-encoded or decoded')
            [CompletionResult]::new('--request-time', '--request-time', [CompletionResultType]::ParameterName, 'Tencent IM RequestTime (Unix seconds)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Tencent IM CallbackCommand (for the query string)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Request body from FILE, or `-` for stdin (a raw HTTP request is recognised too)')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'A raw captured HTTP request (request line, headers, blank line, body); `-` for stdin')
            [CompletionResult]::new('--from-capture', '--from-capture', [CompletionResultType]::ParameterName, 'A `cbkit listen --record` capture: FILE.jsonl for its last line, FILE.jsonl:N for line N')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'A request copied as cURL (browser devtools, logs): ''curl https://... -H ... --data-raw ...''')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'With --from-capture FILE: decode every line, one JSON object per line on stdout')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Decode request bodies read from stdin, one a line; one JSON object per line on stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;encrypt' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--plaintext', '--plaintext', [CompletionResultType]::ParameterName, 'The plaintext to encrypt')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Read the plaintext from FILE, or `-` for stdin')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Timestamp to use (default: now, in the vendor''s unit)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'Nonce to use (default: fresh random)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--handshake', '--handshake', [CompletionResultType]::ParameterName, 'Build the URL-verification GET (Tencent Meeting check_str, WeCom echostr) instead of an event POST')
            [CompletionResult]::new('--reply', '--reply', [CompletionResultType]::ParameterName, 'Build the receiver''s encrypted reply instead (DingTalk `success` map, WeCom passive XML)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;probe' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Your callback URL (or `url` in the profile)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-request deadline instead of the vendor''s')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add or replace a header on every request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add or replace a header on every request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept a self-signed or otherwise invalid TLS certificate')
            [CompletionResult]::new('--no-negative', '--no-negative', [CompletionResultType]::ParameterName, 'Skip the forged requests (bad signature, another receiver id or SdkAppid), for a receiver that answers everything on purpose')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;replay' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Send only deliveries of these event types (the vendor''s event field, or the fixture''s event name; patterns allowed); a capture without a readable type is sent')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The receiver''s URL (or `url` in the profile)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a body field: JSON path=value (repeatable), e.g. payload[0].meeting_info.subject=Hi; the path must exist, or name a new key of an object')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Like --set, but the value must be JSON (a number, true, null, an object…); applied after --set')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add or replace a header on every request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add or replace a header on every request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Send this plaintext body instead of the fixture''s, in the fixture''s envelope')
            [CompletionResult]::new('--from-capture', '--from-capture', [CompletionResultType]::ParameterName, 'Replay a request captured by `cbkit listen --record` exactly as it was (FILE.jsonl[:N])')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'WeChat message mode (default: safe with --aes-key, else plain; or the fixture''s `mode`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'WeChat data format; the message must be written in it (default: the message''s own)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Per-attempt deadline instead of the vendor''s (Tencent Meeting: 3 s GET, 5 s POST)')
            [CompletionResult]::new('--retry-schedule', '--retry-schedule', [CompletionResultType]::ParameterName, 'Retry offsets after the first failure, instead of the vendor''s: e.g. 60s,180s,360s')
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Compress every wait by this factor (0.01 turns 1 minute into 0.6 s); the timeline still shows vendor time')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write a JUnit XML report (one test case per delivery) to FILE')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Load mode: send N deliveries of each fixture (unique ids), no retries, with a latency summary')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Load mode: deliveries in flight at once')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--no-retry', '--no-retry', [CompletionResultType]::ParameterName, 'Send each delivery once')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept a self-signed or otherwise invalid TLS certificate')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;fixtures' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled fixtures (or those in --dir); with -q, names only')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;fixtures;list' {
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Leave out the fixtures this selects: a name, a vendor or a pattern (repeatable)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'List fixture files in this directory instead')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;fixtures;save' {
            [CompletionResult]::new('--from-capture', '--from-capture', [CompletionResultType]::ParameterName, 'The capture: FILE.jsonl for its last line, FILE.jsonl:N for line N')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Save as DIR/NAME.json (default: <vendor>/<event type>)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The fixtures directory')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--exact', '--exact', [CompletionResultType]::ParameterName, 'Keep the captured request too and replay it byte for byte (as `replay --from-capture`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a fixture file that exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;fixtures;show' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override a body field: JSON path=value (repeatable)')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'Like --set, but the value must be JSON; applied after --set')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;fixtures;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled fixtures (or those in --dir); with -q, names only')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;fixtures;help;list' {
            break
        }
        'cbkit;fixtures;help;save' {
            break
        }
        'cbkit;fixtures;help;show' {
            break
        }
        'cbkit;fixtures;help;help' {
            break
        }
        'cbkit;demo' {
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Only this vendor''s fixtures')
            [CompletionResult]::new('--inspect-port', '--inspect-port', [CompletionResultType]::ParameterName, 'Serve the inspector on this port of its own instead of under /_cbkit/ (0: any free one); implies --inspect on loopback')
            [CompletionResult]::new('--inspect-keep', '--inspect-keep', [CompletionResultType]::ParameterName, 'How many requests the inspector remembers (the oldest are forgotten; --record keeps all)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--inspect', '--inspect', [CompletionResultType]::ParameterName, 'Serve the inspector page at /_cbkit/ (every request live: steps, plaintext, replay); needed explicitly when --host is not loopback')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;config' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged settings and their sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;config;show' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'A URL, as replay/probe would take it')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged settings and their sources')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;config;help;show' {
            break
        }
        'cbkit;config;help;help' {
            break
        }
        'cbkit;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;listen' {
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Vendor to serve, or `auto` for all of them (on /<vendor> paths and by request shape at /); default: the profile''s vendor, else auto')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind; anything but loopback exposes the listener and is warned about')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to bind; 0 picks a free one (printed in the ready line)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append one JSON line per request to FILE (written and flushed before the reply)')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, 'Print and record only requests of these event types (patterns allowed); every request is still answered, and one whose type cannot be read is still printed and recorded')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Forward each request byte for byte to URL, relay the answer, and judge it by the vendor''s rule')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add or replace a header on each forwarded request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add or replace a header on each forwarded request: ''Name: value'' (repeatable); ''Name:'' removes one')
            [CompletionResult]::new('--fail-first', '--fail-first', [CompletionResultType]::ParameterName, 'Fail the first N requests (HTTP 500, or --status) before answering correctly')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status code for failed answers (with --fail-first), or for every answer without it')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait this long before answering (e.g. 500ms, 6s)')
            [CompletionResult]::new('--reply', '--reply', [CompletionResultType]::ParameterName, 'Answer with this exact text instead of the correct reply')
            [CompletionResult]::new('--exit-after', '--exit-after', [CompletionResultType]::ParameterName, 'Exit after N requests')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Exit when no request arrives for this long (e.g. 30s)')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted; larger ones get 413 (bytes, or with KiB/MiB)')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Requests processed at once; each connection''s thread reads its own requests, and at most one per CPU verify, decrypt and record at the same moment')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long a client may take to send a whole request, headers and body, from its first byte; then it is answered 408 and the connection closed')
            [CompletionResult]::new('--keep-alive', '--keep-alive', [CompletionResultType]::ParameterName, 'How long an open connection may wait for its next request before it is closed')
            [CompletionResult]::new('--tls-handshake-timeout', '--tls-handshake-timeout', [CompletionResultType]::ParameterName, 'How long a client may take to complete the TLS handshake (with --tls-cert) before the connection is closed')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more are answered 503 and closed. Default: from the open-file limit (raised to its hard limit at start), about a third of it, at most 4096')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate (PEM); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'Private key (PEM) for --tls-cert')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor''s documented window: Tencent IM 60 s; none for the others)')
            [CompletionResult]::new('--inspect-port', '--inspect-port', [CompletionResultType]::ParameterName, 'Serve the inspector on this port of its own instead of under /_cbkit/ (0: any free one); implies --inspect on loopback')
            [CompletionResult]::new('--inspect-keep', '--inspect-keep', [CompletionResultType]::ParameterName, 'How many requests the inspector remembers (the oldest are forgotten; --record keeps all)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Answer 401/403 when verification fails (default: say why, answer anyway)')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Exit after the first request')
            [CompletionResult]::new('--inspect', '--inspect', [CompletionResultType]::ParameterName, 'Serve the inspector page at /_cbkit/ (every request live: steps, plaintext, replay); needed explicitly when --host is not loopback')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;inspect' {
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to serve the page on')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to serve the page on; 0 picks a free one (printed in the ready line)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Where Replay sends a request (a listener''s base URL); without it Replay is off')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token (Tencent Meeting, DingTalk, WeCom, WeChat, Tencent IM callback key) or Feishu Verification Token')
            [CompletionResult]::new('--aes-key', '--aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--encoding-aes-key', '--encoding-aes-key', [CompletionResultType]::ParameterName, 'EncodingAESKey (43 chars; Tencent Meeting, DingTalk, WeCom, WeChat) or Feishu Encrypt Key')
            [CompletionResult]::new('--receiver-id', '--receiver-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--corp-id', '--corp-id', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--suite-key', '--suite-key', [CompletionResultType]::ParameterName, 'Receiver id inside the ciphertext: DingTalk corpId/appKey/suiteKey, WeCom corpid/suite_id, WeChat AppID')
            [CompletionResult]::new('--sdk-app-id', '--sdk-app-id', [CompletionResultType]::ParameterName, 'Tencent IM/Room SDKAppID')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Timestamp freshness window, e.g. 60s, 5m, or `off` (default: the vendor''s documented window: Tencent IM 60 s; none for the others)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profile.NAME] sections (default: .cbkit.toml upward, then $XDG_CONFIG_HOME/cbkit/config.toml)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to take vendor, secrets and url from (default: the file''s default_profile, or `default`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show secrets in output instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less output: only results and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More output (repeatable)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'cbkit;help' {
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Compute the signature (and the headers/query it travels in) a vendor would send')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a received callback''s signature (and ids); exit 1 with what differed')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode / decrypt a body, check_str, echostr or challenge and print the plaintext')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Build what the vendor would send for a plaintext (or, with --reply, the receiver''s encrypted answer)')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Run the vendor''s URL-verification handshake (and one event, then forged ones) against your endpoint; checklist with fixes')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send fixtures the way the vendor does: signed, encrypted, on its deadline and retry schedule')
            [CompletionResult]::new('fixtures', 'fixtures', [CompletionResultType]::ParameterValue, 'List or show the bundled fixtures (real vendor event bodies)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Receiver + replay of every bundled fixture, in-process on 127.0.0.1, with bundled default secrets')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the merged settings (flags > environment > profile > defaults), secrets masked, and where each came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'A throwaway local receiver: answers every handshake, verifies, decrypts, records, forwards')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Open a capture file (listen --record) in the inspector page, without a listener')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbkit;help;sign' {
            break
        }
        'cbkit;help;verify' {
            break
        }
        'cbkit;help;decode' {
            break
        }
        'cbkit;help;encrypt' {
            break
        }
        'cbkit;help;probe' {
            break
        }
        'cbkit;help;replay' {
            break
        }
        'cbkit;help;fixtures' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled fixtures (or those in --dir); with -q, names only')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Write a fixture file from a request captured by `cbkit listen --record`: its decrypted plaintext (configured token and ids as templates), replayed freshly signed')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a fixture''s rendered plaintext and the exact HTTP request that would be sent')
            break
        }
        'cbkit;help;fixtures;list' {
            break
        }
        'cbkit;help;fixtures;save' {
            break
        }
        'cbkit;help;fixtures;show' {
            break
        }
        'cbkit;help;demo' {
            break
        }
        'cbkit;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the merged settings and their sources')
            break
        }
        'cbkit;help;config;show' {
            break
        }
        'cbkit;help;completions' {
            break
        }
        'cbkit;help;man' {
            break
        }
        'cbkit;help;listen' {
            break
        }
        'cbkit;help;inspect' {
            break
        }
        'cbkit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
