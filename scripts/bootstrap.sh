#!/usr/bin/env bash
# bootstrap.sh: installs what a fresh Debian 12 machine lacks, then
# configures and builds nbreplay in ./build. Safe to run again: it installs
# only missing packages and rebuilds only what changed.
#
#   scripts/bootstrap.sh                 build what `nbreplay run` needs
#   scripts/bootstrap.sh --with-pytorch  also PyTorch and NumPy, which the
#                                        test suite uses as ground truth
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(meson ninja-build pkg-config gcc python3 libopenblas-dev libsleef-dev libcjson-dev libpcre2-dev check
          libcmark-dev libjs-katex libtcc-dev tcc libsource-highlight-dev
          libzmq3-dev libsodium-dev)  # the Jupyter kernel (nbreplay kernel)
if [[ "${1:-}" == "--with-pytorch" ]]; then
    packages+=(python3-torch python3-numpy)
    # test-only: the lesson driven through a terminal (and its pager), the
    # export checked by nbformat, the man page checked by groff
    packages+=(tmux less python3-nbformat groff)
    # test-only: the Jupyter kernel driven by real Jupyter (kernel, kernel_nbconvert, install)
    packages+=(python3-jupyter-client python3-nbclient jupyter-nbconvert)
elif [[ $# -gt 0 ]]; then
    echo "usage: scripts/bootstrap.sh [--with-pytorch]" >&2
    exit 2
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "bootstrap: installing ${missing[*]}" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

[[ -f build/build.ninja ]] || meson setup build >/dev/null
ninja -C build >/dev/null
