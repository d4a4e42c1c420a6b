#!/usr/bin/env bash
# lesson_tmux.sh: drives `nbreplay lesson` as a person would, in a terminal
# (a tmux pane): Enter for the next cell, a number to jump, p to go back, a
# wrong answer, q to quit; and checks what the pane shows after each key.
# Uses a tmux server of its own (-L), so no one's sessions are touched.
# Exit 77 (skipped) when tmux is not installed.
#
# Usage: lesson_tmux.sh NBREPLAY REPO_ROOT
set -uo pipefail

nbreplay=$(realpath "$1")
if ! command -v tmux >/dev/null; then
    echo "skipped: tmux is not installed (apt-get install tmux)"
    exit 77
fi

socket="nbreplay-test-$$"
failed=0 passed=0
tmux_() { tmux -L "$socket" "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null; }
trap cleanup EXIT

check() { # name, status
    if [[ $2 -eq 0 ]]; then
        echo "ok   $1"; passed=$((passed + 1))
    else
        echo "FAIL $1"; failed=$((failed + 1))
        echo "---- the pane:"; tmux_ capture-pane -p -t lesson | sed 's/^/    /'
    fi
}

# Waits (up to 30 s) until the visible pane holds the text.
wait_for() {
    for _ in $(seq 300); do
        tmux_ capture-pane -p -t lesson 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

# The cells in notebook order; what comes after and before a cell.
mapfile -t numbers < <("$nbreplay" list | awk '{print $1}')
mapfile -t names < <("$nbreplay" list | awk '{print $2}')
index_of() { for i in "${!numbers[@]}"; do [[ ${numbers[$i]} == "$1" ]] && echo "$i" && return; done; }
label() { # "cell 3 (add)", or "cell NAME" for a cell of our own (number 0)
    if [[ ${numbers[$1]} == "·" ]]; then echo "cell ${names[$1]}"; else echo "cell ${numbers[$1]} (${names[$1]})"; fi
}
params=()
[[ -n $(index_of 9) ]] && params=(--param K=300 --param L=200 --param M=100)

start=$(index_of 2)
tmux_ new-session -d -s lesson -x 170 -y 50 \
    "NBREPLAY_PAGER=cat $nbreplay lesson 2 ${params[*]}; echo LESSON-EXIT=\$?; sleep 60"

wait_for "$(label "$start"), page $((start + 1)) of ${#numbers[@]}"
check "the first page is cell 2, with a prompt" $?
tmux_ capture-pane -p -t lesson | grep -q ' │ '
check "a 170-column pane shows Python and C side by side" $?
tmux_ capture-pane -p -t lesson | grep -qF 'tensor(4.)'
check "the page shows the cell's output" $?

tmux_ send-keys -t lesson Enter
wait_for "$(label $((start + 1))), page $((start + 2)) of"
check "Enter goes to the next cell" $?

ten=$(index_of 10)
tmux_ send-keys -t lesson "10" Enter
wait_for "$(label "$ten"), page $((ten + 1)) of"
check "10 and Enter jump to In [10]" $?

tmux_ send-keys -t lesson "p" Enter
wait_for "$(label $((ten - 1))), page $ten of"
check "p goes back one cell" $?

tmux_ send-keys -t lesson "nosuchcell" Enter
wait_for "unknown cell 'nosuchcell'"
check "an unknown answer is named, and the prompt comes again" $?

tmux_ send-keys -t lesson "outer" Enter
wait_for "$(label "$ten"), page $((ten + 1)) of"
check "a cell's name jumps too" $?

tmux_ send-keys -t lesson "q" Enter
wait_for "LESSON-EXIT=0"
check "q quits with exit status 0" $?

# A small terminal (80x24), through the pager (less): each page starts at
# the top of a clear screen, the prompt fits in 80 columns, and cell 9
# offers a smaller size before it runs.
tmux_ kill-session -t lesson 2>/dev/null
if command -v less >/dev/null; then
    tmux_ new-session -d -s lesson -x 80 -y 24 \
        "PAGER=less $nbreplay lesson 2; echo LESSON-EXIT=\$?; sleep 60"
    wait_for "In [2]"
    tmux_ capture-pane -p -t lesson | head -1 | grep -qF "━━━ In [2] · tensors"
    check "80x24: the page starts at the top of the screen, in the pager" $?
    tmux_ send-keys -t lesson q
    wait_for "$(label "$start"), page $((start + 1)) of ${#numbers[@]}"
    check "80x24: quitting the pager shows the prompt" $?
    ! tmux_ capture-pane -p -t lesson | grep -E "Enter|page [0-9]+ of" | awk 'length($0) > 80 {bad=1} END {exit !bad}'
    check "80x24: the prompt stays within 80 columns" $?
    nine=$(index_of 9)
    if [[ -n $nine ]]; then
        tmux_ send-keys -t lesson "9" Enter
        wait_for "runs at full size (K=25000 L=10000 M=1000)"
        check "jumping to cell 9 offers a smaller size first" $?
        tmux_ send-keys -t lesson "s" Enter
        wait_for "━━━ In [9]"
        tmux_ send-keys -t lesson G
        wait_for "nbreplay run timing --seed 0 --param K=2500 --param L=1000"
        check "s runs cell 9 at a tenth of its size" $?
        tmux_ send-keys -t lesson q
        wait_for "$(label "$nine"), page $((nine + 1)) of"
        check "after cell 9, the prompt" $?
    fi
    tmux_ send-keys -t lesson "q" Enter
    wait_for "LESSON-EXIT=0"
    check "80x24: q quits with exit status 0" $?
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
