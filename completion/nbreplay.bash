# nbreplay.bash: bash completion for nbreplay: subcommands, their options,
# option values, and cell numbers and names (read from `nbreplay list`, so
# new cells complete without touching this file).
#
#   source completion/nbreplay.bash
#   or copy it to /usr/share/bash-completion/completions/nbreplay

_nbreplay_cells() {
    # numbers and names, as `nbreplay list` prints them
    "$1" list 2>/dev/null | awk '$1 != "·" {print $1} {print $2}'
}

_nbreplay() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi
    local program=${words[0]}
    local commands="list run verify print show lesson export regen bench edit check new kernel"

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local command=${words[1]}

    case $prev in
        --device) COMPREPLY=($(compgen -W "auto cpu cuda" -- "$cur")); return ;;
        --color | --colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "ipynb md html" -- "$cur")); return ;;
        --golden-dir | --prefix) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --kernel) COMPREPLY=($(compgen -W "nbreplay" -- "$cur")); return ;;
        -f | --connection-file) COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur")); return ;;
        --program) COMPREPLY=($(compgen -c -- "$cur")); return ;;
        -o | --output | --junit | --generator) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --python)
            if [[ $command == check ]]; then
                COMPREPLY=($(compgen -f -X '!*.py' -- "$cur") $(compgen -d -- "$cur"))
            else
                COMPREPLY=($(compgen -c -- "$cur"))
            fi
            return ;;
        --interpreter) COMPREPLY=($(compgen -c -- "$cur")); return ;;
        --compiler) COMPREPLY=($(compgen -W "tcc cc" -- "$cur")); return ;;
        --timeout) return ;;
        --seed | --width | --param | --rtol | --atol | --precision | --threshold | --edgeitems | --linewidth)
            return ;;
        --only)
            # the benchmark names of src/app/cli/bench.c
            COMPREPLY=($(compgen -W "gemm_f64_4000x4000x1000 gemm_f64_cell9 add_f64_1e7 mul_scalar_f64_1e7
                sin_f32_1e7 exp_f64_1e7 sum_f64_1e7 bmm_cell7 matmul_cell8 autograd_cell14 normal_1e7
                choice_1e6 print_f32_1000" -- "$cur"))
            return ;;
        --sci-mode) COMPREPLY=($(compgen -W "true false none" -- "$cur")); return ;;
    esac

    local options
    case $command in
        list) options="--help" ;;
        bench) options="--device --full --only --help" ;;
        run) options="--seed --device --param --timeout --compiler --help" ;;
        edit) options="--watch --seed --timeout --compiler --help" ;;
        check) options="--python --seed --timeout --interpreter --compiler --help" ;;
        new) options="--help" ;;
        verify) options="--golden-dir --device --tap --junit --rtol --atol --help" ;;
        print) options="--precision= --threshold= --edgeitems= --linewidth= --sci-mode= --batch --help" ;;
        show | lesson) options="--seed --width --color --device --param --help" ;;
        export) options="--format -o --seed --device --param --kernel --help" ;;
        kernel) options="-f --user --prefix --program --help" ;;
        regen) options="--yes --golden-dir --python --generator --seed --help" ;;
        *) options="--help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    case $command in
        run)
            COMPREPLY=($(compgen -W "$(_nbreplay_cells "$program")" -- "$cur")
                       $(compgen -f -X '!*.c' -- "$cur")) ;;
        verify | show | export | regen | lesson)
            COMPREPLY=($(compgen -W "$(_nbreplay_cells "$program")" -- "$cur")) ;;
        print)
            COMPREPLY=($(compgen -f -X '!*.npy' -- "$cur") $(compgen -d -- "$cur")) ;;
        edit)
            COMPREPLY=($(compgen -W "$(_nbreplay_cells "$program")" -- "$cur")
                       $(compgen -f -X '!*.c' -- "$cur")) ;;
        check)
            COMPREPLY=($(compgen -f -X '!*.c' -- "$cur") $(compgen -d -- "$cur")) ;;
        kernel)
            COMPREPLY=($(compgen -W "install spec" -- "$cur")) ;;
    esac
}

complete -F _nbreplay nbreplay
