#!/usr/bin/env bash
# completion_test.sh: completion/nbreplay.bash completes the subcommands,
# each command's options and their values, and cell numbers and names as
# `nbreplay list` prints them.
#
# Usage: completion_test.sh NBREPLAY REPO_ROOT
set -uo pipefail

nbreplay=$(realpath "$1")
source "$2/completion/nbreplay.bash"
failed=0 passed=0

# complete WORD... : what completing the last word offers, sorted, one line
complete_words() {
    COMP_WORDS=("$nbreplay" "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _nbreplay
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect() { # name, got, want
    if [[ "$2" == "$3" ]]; then
        echo "ok   $1"; passed=$((passed + 1))
    else
        echo "FAIL $1"; echo "    got:  '$2'"; echo "    want: '$3'"; failed=$((failed + 1))
    fi
}

expect "subcommands" "$(complete_words s)" "show"
expect "every subcommand" "$(complete_words '')" \
    "$(printf '%s\n' --help --version bench check edit export kernel lesson list new print regen run show verify | sort | tr '\n' ' ' | sed 's/ $//')"
want=$("$nbreplay" list | awk '$1 != "·" {print $1} {print $2}' | sort | tr '\n' ' ' | sed 's/ $//')
expect "cells for show: every number and name from nbreplay list" "$(complete_words show '')" "$want"
expect "cells by prefix" "$(complete_words verify bm)" "bmm"
expect "export --format values" "$(complete_words export --format '')" "html ipynb md"
expect "--color values" "$(complete_words lesson --color a)" "always auto"
expect "verify options" "$(complete_words verify --j)" "--junit"
expect "regen options" "$(complete_words regen --y)" "--yes"
expect "edit options" "$(complete_words edit --w)" "--watch"
expect "run --compiler values" "$(complete_words run --compiler '')" "cc tcc"
expect "check options" "$(complete_words check --i)" "--interpreter"
expect "kernel actions" "$(complete_words kernel '')" "install spec"
expect "kernel install options" "$(complete_words kernel install --p)" "--prefix --program"
expect "export --kernel values" "$(complete_words export --kernel '')" "nbreplay"
expect "edit: cells by prefix" "$(complete_words edit bm)" "bmm"
cd "$(mktemp -d)" && touch mycell.c mycell.py other.txt
expect "run: a .c file" "$(complete_words run myc)" "mycell.c"
expect "check: a .c file" "$(complete_words check my)" "mycell.c"
expect "check --python: a .py file" "$(complete_words check mycell.c --python my)" "mycell.py"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
