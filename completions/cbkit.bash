_cbkit() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="cbkit"
                ;;
            cbkit,completions)
                cmd="cbkit__subcmd__completions"
                ;;
            cbkit,config)
                cmd="cbkit__subcmd__config"
                ;;
            cbkit,decode)
                cmd="cbkit__subcmd__decode"
                ;;
            cbkit,demo)
                cmd="cbkit__subcmd__demo"
                ;;
            cbkit,encrypt)
                cmd="cbkit__subcmd__encrypt"
                ;;
            cbkit,fixtures)
                cmd="cbkit__subcmd__fixtures"
                ;;
            cbkit,help)
                cmd="cbkit__subcmd__help"
                ;;
            cbkit,inspect)
                cmd="cbkit__subcmd__inspect"
                ;;
            cbkit,listen)
                cmd="cbkit__subcmd__listen"
                ;;
            cbkit,man)
                cmd="cbkit__subcmd__man"
                ;;
            cbkit,probe)
                cmd="cbkit__subcmd__probe"
                ;;
            cbkit,replay)
                cmd="cbkit__subcmd__replay"
                ;;
            cbkit,sign)
                cmd="cbkit__subcmd__sign"
                ;;
            cbkit,verify)
                cmd="cbkit__subcmd__verify"
                ;;
            cbkit__subcmd__config,help)
                cmd="cbkit__subcmd__config__subcmd__help"
                ;;
            cbkit__subcmd__config,show)
                cmd="cbkit__subcmd__config__subcmd__show"
                ;;
            cbkit__subcmd__config__subcmd__help,help)
                cmd="cbkit__subcmd__config__subcmd__help__subcmd__help"
                ;;
            cbkit__subcmd__config__subcmd__help,show)
                cmd="cbkit__subcmd__config__subcmd__help__subcmd__show"
                ;;
            cbkit__subcmd__fixtures,help)
                cmd="cbkit__subcmd__fixtures__subcmd__help"
                ;;
            cbkit__subcmd__fixtures,list)
                cmd="cbkit__subcmd__fixtures__subcmd__list"
                ;;
            cbkit__subcmd__fixtures,save)
                cmd="cbkit__subcmd__fixtures__subcmd__save"
                ;;
            cbkit__subcmd__fixtures,show)
                cmd="cbkit__subcmd__fixtures__subcmd__show"
                ;;
            cbkit__subcmd__fixtures__subcmd__help,help)
                cmd="cbkit__subcmd__fixtures__subcmd__help__subcmd__help"
                ;;
            cbkit__subcmd__fixtures__subcmd__help,list)
                cmd="cbkit__subcmd__fixtures__subcmd__help__subcmd__list"
                ;;
            cbkit__subcmd__fixtures__subcmd__help,save)
                cmd="cbkit__subcmd__fixtures__subcmd__help__subcmd__save"
                ;;
            cbkit__subcmd__fixtures__subcmd__help,show)
                cmd="cbkit__subcmd__fixtures__subcmd__help__subcmd__show"
                ;;
            cbkit__subcmd__help,completions)
                cmd="cbkit__subcmd__help__subcmd__completions"
                ;;
            cbkit__subcmd__help,config)
                cmd="cbkit__subcmd__help__subcmd__config"
                ;;
            cbkit__subcmd__help,decode)
                cmd="cbkit__subcmd__help__subcmd__decode"
                ;;
            cbkit__subcmd__help,demo)
                cmd="cbkit__subcmd__help__subcmd__demo"
                ;;
            cbkit__subcmd__help,encrypt)
                cmd="cbkit__subcmd__help__subcmd__encrypt"
                ;;
            cbkit__subcmd__help,fixtures)
                cmd="cbkit__subcmd__help__subcmd__fixtures"
                ;;
            cbkit__subcmd__help,help)
                cmd="cbkit__subcmd__help__subcmd__help"
                ;;
            cbkit__subcmd__help,inspect)
                cmd="cbkit__subcmd__help__subcmd__inspect"
                ;;
            cbkit__subcmd__help,listen)
                cmd="cbkit__subcmd__help__subcmd__listen"
                ;;
            cbkit__subcmd__help,man)
                cmd="cbkit__subcmd__help__subcmd__man"
                ;;
            cbkit__subcmd__help,probe)
                cmd="cbkit__subcmd__help__subcmd__probe"
                ;;
            cbkit__subcmd__help,replay)
                cmd="cbkit__subcmd__help__subcmd__replay"
                ;;
            cbkit__subcmd__help,sign)
                cmd="cbkit__subcmd__help__subcmd__sign"
                ;;
            cbkit__subcmd__help,verify)
                cmd="cbkit__subcmd__help__subcmd__verify"
                ;;
            cbkit__subcmd__help__subcmd__config,show)
                cmd="cbkit__subcmd__help__subcmd__config__subcmd__show"
                ;;
            cbkit__subcmd__help__subcmd__fixtures,list)
                cmd="cbkit__subcmd__help__subcmd__fixtures__subcmd__list"
                ;;
            cbkit__subcmd__help__subcmd__fixtures,save)
                cmd="cbkit__subcmd__help__subcmd__fixtures__subcmd__save"
                ;;
            cbkit__subcmd__help__subcmd__fixtures,show)
                cmd="cbkit__subcmd__help__subcmd__fixtures__subcmd__show"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        cbkit)
            opts="-q -v -h -V --json --color --show-secrets --quiet --verbose --config --profile --help --version sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__completions)
            opts="-q -v -h --json --color --show-secrets --quiet --verbose --config --profile --help bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__config)
            opts="-q -v -h --json --color --show-secrets --quiet --verbose --config --profile --help show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__config__subcmd__help)
            opts="show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__config__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__config__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__config__subcmd__show)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --url --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__decode)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --timeStamp --timestamp --nonce --msg-signature --signature --data --check-str --encrypt --echostr --request-time --command --body --request --from-capture --curl --all --lines --json --color --show-secrets --quiet --verbose --config --profile --help wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timestamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeStamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nonce)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --msg-signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --check-str)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encrypt)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --echostr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-time)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-capture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --curl)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__demo)
            opts="-q -v -h --vendor --inspect --inspect-port --inspect-keep --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --vendor)
                    COMPREPLY=($(compgen -W "wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp" -- "${cur}"))
                    return 0
                    ;;
                --inspect-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inspect-keep)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__encrypt)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --plaintext --body --handshake --reply --timestamp --nonce --json --color --show-secrets --quiet --verbose --config --profile --help wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --plaintext)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timestamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nonce)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures)
            opts="-q -v -h --json --color --show-secrets --quiet --verbose --config --profile --help list save show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__help)
            opts="list save show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__help__subcmd__save)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__list)
            opts="-q -v -h --exclude --dir --json --color --show-secrets --quiet --verbose --config --profile --help all wemeet tencent-im dingtalk wecom feishu wechat dingtalk/bpms_instance_change dingtalk/chat_add_member dingtalk/check_create_suite_url dingtalk/check_url dingtalk/org_dept_create dingtalk/user_add_org dingtalk/user_modify_org feishu/application.bot.menu_v6 feishu/approval_instance feishu/contact.user.created_v3 feishu/im.message.receive_v1 feishu/url_verification tencent-im/C2C.CallbackAfterSendMsg tencent-im/Group.CallbackAfterCreateTopic tencent-im/Group.CallbackAfterNewMemberJoin tencent-im/Group.CallbackAfterSendMsg tencent-im/Room.CallbackAfterCreateRoom tencent-im/Room.CallbackAfterDestroyRoom tencent-im/State.StateChange wechat/echostr wechat/menu-click wechat/miniprogram.kf-text-json wechat/miniprogram.kf-text-xml wechat/miniprogram.user_enter_tempsession wechat/subscribe wechat/template-send-job-finish wechat/text-message wechat/unsubscribe wecom/change_contact.create_user wecom/click wecom/echostr wecom/enter_agent wecom/text-message wemeet/meeting.canceled wemeet/meeting.created wemeet/meeting.end wemeet/meeting.participant-joined wemeet/meeting.started wemeet/meeting.updated wemeet/recording.completed wemeet/url-verification"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__save)
            opts="-q -v -h --from-capture --name --dir --exact --force --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --from-capture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__fixtures__subcmd__show)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --set --set-json --json --color --show-secrets --quiet --verbose --config --profile --help all wemeet tencent-im dingtalk wecom feishu wechat dingtalk/bpms_instance_change dingtalk/chat_add_member dingtalk/check_create_suite_url dingtalk/check_url dingtalk/org_dept_create dingtalk/user_add_org dingtalk/user_modify_org feishu/application.bot.menu_v6 feishu/approval_instance feishu/contact.user.created_v3 feishu/im.message.receive_v1 feishu/url_verification tencent-im/C2C.CallbackAfterSendMsg tencent-im/Group.CallbackAfterCreateTopic tencent-im/Group.CallbackAfterNewMemberJoin tencent-im/Group.CallbackAfterSendMsg tencent-im/Room.CallbackAfterCreateRoom tencent-im/Room.CallbackAfterDestroyRoom tencent-im/State.StateChange wechat/echostr wechat/menu-click wechat/miniprogram.kf-text-json wechat/miniprogram.kf-text-xml wechat/miniprogram.user_enter_tempsession wechat/subscribe wechat/template-send-job-finish wechat/text-message wechat/unsubscribe wecom/change_contact.create_user wecom/click wecom/echostr wecom/enter_agent wecom/text-message wemeet/meeting.canceled wemeet/meeting.created wemeet/meeting.end wemeet/meeting.participant-joined wemeet/meeting.started wemeet/meeting.updated wemeet/recording.completed wemeet/url-verification"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help)
            opts="sign verify decode encrypt probe replay fixtures demo config completions man listen inspect help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__config)
            opts="show"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__config__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__decode)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__demo)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__encrypt)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__fixtures)
            opts="list save show"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__fixtures__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__fixtures__subcmd__save)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__fixtures__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__inspect)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__listen)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__man)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__probe)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__replay)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__sign)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__help__subcmd__verify)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__inspect)
            opts="-q -v -h --host --port --to --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --max-skew --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-skew)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__listen)
            opts="-H -q -v -h --vendor --host --port --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --strict --record --events --forward-to --header --fail-first --status --delay --reply --once --exit-after --idle-timeout --max-body --workers --read-timeout --keep-alive --tls-handshake-timeout --max-connections --tls-cert --tls-key --max-skew --inspect --inspect-port --inspect-keep --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --vendor)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --host)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --record)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --events)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --forward-to)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -H)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-first)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --status)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --delay)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --reply)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --exit-after)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --idle-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --workers)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --keep-alive)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-handshake-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-connections)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-cert)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tls-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-skew)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inspect-port)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --inspect-keep)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__man)
            opts="-q -v -h --json --color --show-secrets --quiet --verbose --config --profile --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__probe)
            opts="-H -q -v -h --exclude --url --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --timeout --insecure --no-negative --header --json --color --show-secrets --quiet --verbose --config --profile --help wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp all wemeet tencent-im dingtalk wecom feishu wechat dingtalk/bpms_instance_change dingtalk/chat_add_member dingtalk/check_create_suite_url dingtalk/check_url dingtalk/org_dept_create dingtalk/user_add_org dingtalk/user_modify_org feishu/application.bot.menu_v6 feishu/approval_instance feishu/contact.user.created_v3 feishu/im.message.receive_v1 feishu/url_verification tencent-im/C2C.CallbackAfterSendMsg tencent-im/Group.CallbackAfterCreateTopic tencent-im/Group.CallbackAfterNewMemberJoin tencent-im/Group.CallbackAfterSendMsg tencent-im/Room.CallbackAfterCreateRoom tencent-im/Room.CallbackAfterDestroyRoom tencent-im/State.StateChange wechat/echostr wechat/menu-click wechat/miniprogram.kf-text-json wechat/miniprogram.kf-text-xml wechat/miniprogram.user_enter_tempsession wechat/subscribe wechat/template-send-job-finish wechat/text-message wechat/unsubscribe wecom/change_contact.create_user wecom/click wecom/echostr wecom/enter_agent wecom/text-message wemeet/meeting.canceled wemeet/meeting.created wemeet/meeting.end wemeet/meeting.participant-joined wemeet/meeting.started wemeet/meeting.updated wemeet/recording.completed wemeet/url-verification"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -H)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__replay)
            opts="-H -q -v -h --exclude --events --url --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --set --set-json --header --body --from-capture --mode --format --timeout --retry-schedule --no-retry --time-scale --report --count --concurrency --insecure --json --color --show-secrets --quiet --verbose --config --profile --help all wemeet tencent-im dingtalk wecom feishu wechat dingtalk/bpms_instance_change dingtalk/chat_add_member dingtalk/check_create_suite_url dingtalk/check_url dingtalk/org_dept_create dingtalk/user_add_org dingtalk/user_modify_org feishu/application.bot.menu_v6 feishu/approval_instance feishu/contact.user.created_v3 feishu/im.message.receive_v1 feishu/url_verification tencent-im/C2C.CallbackAfterSendMsg tencent-im/Group.CallbackAfterCreateTopic tencent-im/Group.CallbackAfterNewMemberJoin tencent-im/Group.CallbackAfterSendMsg tencent-im/Room.CallbackAfterCreateRoom tencent-im/Room.CallbackAfterDestroyRoom tencent-im/State.StateChange wechat/echostr wechat/menu-click wechat/miniprogram.kf-text-json wechat/miniprogram.kf-text-xml wechat/miniprogram.user_enter_tempsession wechat/subscribe wechat/template-send-job-finish wechat/text-message wechat/unsubscribe wecom/change_contact.create_user wecom/click wecom/echostr wecom/enter_agent wecom/text-message wemeet/meeting.canceled wemeet/meeting.created wemeet/meeting.end wemeet/meeting.participant-joined wemeet/meeting.started wemeet/meeting.updated wemeet/recording.completed wemeet/url-verification"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --exclude)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --events)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --header)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -H)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-capture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --mode)
                    COMPREPLY=($(compgen -W "plain safe compat" -- "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "xml json" -- "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --retry-schedule)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --time-scale)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --report)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --count)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --concurrency)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__sign)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --msg-signature --signature --data --check-str --encrypt --echostr --command --body --request --from-capture --curl --timeStamp --timestamp --nonce --request-time --json --color --show-secrets --quiet --verbose --config --profile --help wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --msg-signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --check-str)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encrypt)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --echostr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-capture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --curl)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timestamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeStamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nonce)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-time)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        cbkit__subcmd__verify)
            opts="-q -v -h --token --encoding-aes-key --aes-key --corp-id --app-key --suite-key --receiver-id --sdk-app-id --timeStamp --timestamp --nonce --msg-signature --signature --data --check-str --encrypt --echostr --request-time --command --body --request --from-capture --curl --explain --no-explain --computed --max-skew --json --color --show-secrets --quiet --verbose --config --profile --help wemeet tencent-im tim dingtalk wecom feishu lark wechat weixin mp"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encoding-aes-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --receiver-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --corp-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --app-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --suite-key)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sdk-app-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timestamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeStamp)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --nonce)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --msg-signature)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --check-str)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encrypt)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --echostr)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request-time)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --command)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --body)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --request)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --from-capture)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --curl)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --computed)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-skew)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "auto always never" -- "${cur}"))
                    return 0
                    ;;
                --config)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _cbkit -o nosort -o bashdefault -o default cbkit
else
    complete -F _cbkit -o bashdefault -o default cbkit
fi
