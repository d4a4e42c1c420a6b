#!/usr/bin/env bash
# install_test.sh EXAMPLES_DIR SOURCE_ROOT BUILD_DIR
# install_test.sh EXAMPLES_DIR SOURCE_ROOT --installed DESTDIR
#   nbreplay as a user installs it.
#
# Installs BUILD_DIR into a temporary DESTDIR (or takes a DESTDIR already
# installed, so that .ci/run can move the source tree away before this
# runs), moves the installed tree
# elsewhere (an install must work wherever it lands), and checks that:
#   - the binary, the shared and static library, the headers, nbreplay.pc,
#     the man page, bash completion, the goldens, generate.py and the
#     cells' Python are installed;
#   - nothing installed holds the source or build tree's path;
#   - the library exports only the public API, all under its documented
#     prefixes, and neither the program nor the library needs CUDA's
#     libraries (ldd);
#   - the installed program verifies every cell from anywhere, finding its
#     goldens from its own location, and regenerates goldens into a folder
#     the user names;
#   - a cell of the user's own (edit 7, then run bmm.c with libtcc and with
#     cc) compiles against the installed headers and prints cell 7's golden;
#     a crashing one is one line and exit 4;
#   - the Jupyter kernelspec is installed and, on JUPYTER_PATH, starts the
#     installed kernel for jupyter_client (kernel_install_check.py): cell
#     7's golden, a segfault survived, an interrupt, a wrong key refused;
#   - each program in EXAMPLES_DIR, built with the system cc and nothing
#     but `pkg-config nbreplay` (one also against the static library),
#     prints what its Python twin prints in real PyTorch.
# .ci/run runs it with the source tree moved away. EXAMPLE_CFLAGS is added
# to the examples' compile lines (a sanitizer build's -fsanitize flags). Exit 0 passed, 1 failed,
# 77 skipped (PyTorch missing for the comparisons, or the Jupyter kernel or
# jupyter_client for the kernel's; the rest ran).
set -euo pipefail

examples=$(realpath "$1")
source_root=$2
debian_python=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/nbreplay-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

if [[ $3 == --installed ]]; then
    cp -a "$4" "$work/destdir"
else
    meson install -C "$3" --destdir "$work/destdir" --no-rebuild >"$work/install.log" 2>&1 ||
        { cat "$work/install.log"; echo "FAIL meson install"; exit 1; }
fi
installed_bin=$(find "$work/destdir" -path '*/bin/nbreplay' -type f | head -n1)
[[ -n "$installed_bin" ]] || { echo "FAIL no bin/nbreplay installed"; exit 1; }
# Move the install to a place no path compiled into it could name.
mv "$(dirname "$(dirname "$installed_bin")")" "$work/moved"
root=$work/moved
bin=$root/bin/nbreplay
libso=$(find "$root" -name 'libnbreplay.so' | head -n1)
libdir=$(dirname "$libso")
pcdir=$(dirname "$(find "$root" -name nbreplay.pc | head -n1)")

for f in include/nbreplay/nbreplay.h include/nbreplay/tensor.h include/nbreplay/notebook.h \
         include/nbreplay/run.h share/man/man1/nbreplay.1 \
         share/bash-completion/completions/nbreplay share/nbreplay/golden/cell-07.json \
         share/nbreplay/golden/generate.py share/nbreplay/cells/cell07_bmm.py; do
    [[ -e "$root/$f" ]] || fail "not installed: $f"
done
for f in "$libdir"/libnbreplay.so.0 "$libdir"/libnbreplay.a "$pcdir"/nbreplay.pc; do
    [[ -e "$f" ]] || fail "not installed: ${f#"$root"/}"
done
[[ -x "$root/share/nbreplay/golden/generate.py" ]] || fail "generate.py is not executable"
ok "installed files"

# No source or build path: in text files, and in ELF files' data (debug
# information names the sources, as in any unstripped build; it is not
# read by the program).
leaks=""
while IFS= read -r -d '' f; do
    if readelf -h "$f" >/dev/null 2>&1; then
        for section in .rodata .data .data.rel.ro .dynstr; do
            readelf -p "$section" "$f" 2>/dev/null | grep -qF "$source_root" && leaks+=" ${f#"$root"/}($section)"
        done
    elif grep -qF "$source_root" "$f"; then
        leaks+=" ${f#"$root"/}"
    fi
done < <(find "$root" -type f -print0)
[[ -z "$leaks" ]] && ok "no source path in the install" || fail "source path in:$leaks"

# Exports: the public API alone, every name under a documented prefix.
bad=$(nm -D --defined-only "$libso" | awk '$2 ~ /^[A-Z]$/ {print $3}' |
      grep -vE '^(tensor_|torch_|py_|nb_)' | grep -v '^NBREPLAY_' || true)
[[ -z "$bad" ]] && ok "libnbreplay.so exports prefixed names only" || fail "libnbreplay.so exports: $bad"
bad=$(nm -g --defined-only "$libdir/libnbreplay.a" 2>/dev/null | awk 'NF == 3 {print $3}' |
      grep -vE '^(tensor_|torch_|py_|nb_)' || true)
[[ -z "$bad" ]] && ok "libnbreplay.a defines prefixed global names only" || fail "libnbreplay.a globals: $bad"
for f in "$bin" "$libso"; do
    if ldd "$f" | grep -qE 'libcudart|libcublas'; then fail "${f#"$root"/} needs CUDA: $(ldd "$f" | grep -E 'libcuda|libcublas')"; fi
done
ok "no CUDA library in ldd"
# The Jupyter kernel's ZeroMQ is in its module (nbreplay-kernel.so), which
# only `nbreplay kernel -f` loads: the program itself maps none of it.
if ldd "$bin" | grep -qE 'libzmq|libsodium'; then
    fail "bin/nbreplay links the kernel's libraries: $(ldd "$bin" | grep -E 'libzmq|libsodium' | tr -d '\t')"
else
    ok "no libzmq or libsodium in the program's ldd"
fi

# The work in PyTorch, started now in the background (it needs only the
# install), while the checks below run: the examples' Python twins, in one
# interpreter that imports torch once (torch_preload.py, beside this
# script): example N's stdout in $work/twins/N.out, its exit 77 in
# twins.status says there is no torch; and `nbreplay regen` (its own
# generate.py, its own import of torch) into a folder the user names.
script_dir=$(cd "$(dirname "$0")" && pwd)
twin_jobs=()
for source in "$examples"/*.c; do
    name=$(basename "$source" .c)
    job=$(printf '%q' "$examples/$name.py")
    [[ $name == load_npy ]] && job+=" $(printf '%q' "$work/array.npy")"
    twin_jobs+=("$job")
done
(
    "$debian_python" -c 'import numpy as np, sys; np.save(sys.argv[1], np.arange(12.).reshape(4, 3) * 0.25 - 1.)' \
        "$work/array.npy" 2>/dev/null || printf '' >"$work/array.npy"
    twins_status=0
    "$debian_python" "$script_dir/torch_preload.py" --log-dir "$work/twins" -- "${twin_jobs[@]}" \
        >"$work/twins.log" 2>&1 || twins_status=$?
    echo "$twins_status" >"$work/twins.status"
) &
twins_pid=$!
mkdir "$work/my-goldens"
(
    regen_status=0
    (cd / && "$bin" regen 3 7 --golden-dir "$work/my-goldens" --yes >"$work/regen.log" 2>&1) || regen_status=$?
    echo "$regen_status" >"$work/regen.status"
) &
regen_pid=$!

# The installed program, from an unrelated folder, with no override.
if (cd / && env -u NBREPLAY_GOLDEN_DIR "$bin" verify --device cpu >"$work/verify.log" 2>&1); then
    ok "installed nbreplay verifies every cell ($(tail -n1 "$work/verify.log"))"
else
    cat "$work/verify.log"; fail "installed nbreplay verify"
fi
(cd / && env -u NBREPLAY_GOLDEN_DIR "$bin" run 3 >/dev/null) || fail "installed nbreplay run 3"

# A cell of the user's own, compiled against the installed headers: edit 7
# writes its body, run prints cell 7's golden (both compilers), a crash is
# one line and leaves nbreplay standing.
mkdir "$work/mine"
# the golden's lines joined (format 2 holds each line once)
golden7=$("$debian_python" -c 'import json, sys; g = json.load(open(sys.argv[1])); sys.stdout.write("\n".join(
    l if isinstance(l, str) else l["text"] for l in g["lines"]) + ("\n" if g["final_newline"] else ""))' \
    "$root/share/nbreplay/golden/cell-07.json"; echo x)
if (cd "$work/mine" && EDITOR=true VISUAL='' "$bin" edit 7 >/dev/null 2>&1) && [[ -f "$work/mine/bmm.c" ]]; then
    for compiler in tcc cc; do
        out=$(cd "$work/mine" && "$bin" run bmm.c --compiler "$compiler" 2>"$work/mine/err"; echo x)
        if [[ "$out" == "$golden7" ]]; then
            ok "installed nbreplay run FILE.c ($compiler) prints cell 7's golden"
        else
            cat "$work/mine/err"; fail "installed nbreplay run bmm.c --compiler $compiler"
        fi
    done
else
    fail "installed nbreplay edit 7"
fi
printf 'int *p = 0;\n*p = 1;\n' >"$work/mine/crash.c"
crash_status=0
(cd "$work/mine" && "$bin" run crash.c >/dev/null 2>"$work/mine/crash.err") || crash_status=$?
if [[ $crash_status == 4 ]] && grep -qx 'crash.c: the cell crashed: segmentation fault' "$work/mine/crash.err"; then
    ok "installed nbreplay reports a crashing cell in one line, exit 4"
else
    cat "$work/mine/crash.err"; fail "installed nbreplay run crash.c (exit $crash_status)"
fi

# The Jupyter kernel from the install: meson install's kernelspec on
# JUPYTER_PATH, the program on PATH, driven by jupyter_client.
have_jupyter=1
spec=$root/share/jupyter/kernels/nbreplay/kernel.json
if ! "$bin" --version | grep -q '^jupyter kernel: yes'; then
    echo "skip jupyter: this nbreplay is built without the kernel (libzmq3-dev, libsodium-dev)"
    have_jupyter=0
elif [[ ! -f $spec ]]; then
    fail "not installed: share/jupyter/kernels/nbreplay/kernel.json"
else
    grep -q '"display_name":[[:space:]]*"C (nbreplay)"' "$spec" || fail "kernel.json: display name"
    kernel_status=0
    (cd "$work/mine" && "$debian_python" "$script_dir/kernel_install_check.py" "$root" bmm.c \
        "$root/share/nbreplay/golden/cell-07.json") || kernel_status=$?
    if [[ $kernel_status == 77 ]]; then have_jupyter=0; elif [[ $kernel_status != 0 ]]; then fail "the installed kernel"; fi
fi

# The twins and regen, started above.
wait "$twins_pid" "$regen_pid" || true
have_torch=1
[[ $(cat "$work/twins.status") == 0 ]] || have_torch=0
if [[ $have_torch == 1 ]]; then
    if [[ $(cat "$work/regen.status") == 0 ]] &&
       [[ -f "$work/my-goldens/cell-03.json" && -f "$work/my-goldens/cell-07.json" ]] &&
       "$bin" verify 3 7 --golden-dir "$work/my-goldens" >>"$work/regen.log" 2>&1; then
        ok "installed nbreplay regenerates goldens into a folder the user names"
    else
        cat "$work/regen.log"; fail "installed nbreplay regen --golden-dir"
    fi
fi

# The examples, built as a user builds them.
export PKG_CONFIG_PATH=$pcdir
cflags=$(pkg-config --cflags nbreplay)
libs=$(pkg-config --libs nbreplay)
twin=0
for source in "$examples"/*.c; do
    name=$(basename "$source" .c)
    twin=$((twin + 1))
    args=()
    [[ $name == load_npy ]] && args=("$work/array.npy")
    # shellcheck disable=SC2086 # the flags are words
    if ! cc -std=c11 -Wall -Wextra -Werror ${EXAMPLE_CFLAGS:-} "$source" $cflags $libs -o "$work/$name" \
            2>"$work/$name.cc"; then
        cat "$work/$name.cc"; fail "$name: does not build with pkg-config nbreplay"; continue
    fi
    run_status=0
    LD_LIBRARY_PATH=$libdir "$work/$name" "${args[@]}" >"$work/$name.c.out" 2>"$work/$name.err" ||
        run_status=$?
    if [[ $run_status -ne 0 ]]; then cat "$work/$name.err"; fail "$name: exit status $run_status"; continue; fi
    if [[ $have_torch == 1 ]]; then
        [[ $(cat "$work/twins/$twin.status") == 0 ]] || { cat "$work/twins/$twin.err"; fail "$name.py: exit status $(cat "$work/twins/$twin.status")"; }
        if diff -u --label "PyTorch ($name.py)" --label "nbreplay ($name.c)" \
                "$work/twins/$twin.out" "$work/$name.c.out"; then
            ok "$name: built with pkg-config, prints what PyTorch prints"
        else
            fail "$name: differs from PyTorch"
        fi
    else
        ok "$name: built with pkg-config and ran (not compared: no PyTorch)"
    fi
done
# One example against the static library: no libnbreplay.so at run time.
# shellcheck disable=SC2086
if cc -std=c11 ${EXAMPLE_CFLAGS:-} "$examples/tensors.c" $cflags "$libdir/libnbreplay.a" \
        $(pkg-config --static --libs nbreplay | sed 's/-lnbreplay\b//') -o "$work/tensors-static" &&
   "$work/tensors-static" | cmp -s - "$work/tensors.c.out"; then
    ok "tensors: linked against libnbreplay.a, same output"
else
    fail "tensors: static link"
fi

if [[ $failures -gt 0 ]]; then echo "$failures failed"; exit 1; fi
if [[ $have_torch == 0 ]]; then echo "skipped the comparisons with PyTorch: /usr/bin/python3 has no torch"; exit 77; fi
if [[ $have_jupyter == 0 ]]; then echo "skipped the installed Jupyter kernel: not built, or no jupyter_client"; exit 77; fi
echo "all passed"
