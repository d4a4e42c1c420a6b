#!/bin/sh
# make_public_archive.sh CORE.a EXPORTS OUT.a: the installed static library.
# Relinks every object of CORE.a into one relocatable object, makes every
# symbol local except those listed in EXPORTS (the public API), and archives
# it, so a program linking libnbreplay.a sees our public names only.
set -eu
core=$1 exports=$2 out=$3
tmp="$out.tmp.o"
trap 'rm -f "$tmp"' EXIT
${LD:-ld} -r --whole-archive "$core" -o "$tmp"
${OBJCOPY:-objcopy} --keep-global-symbols="$exports" "$tmp"
rm -f "$out"
${AR:-ar} rcs "$out" "$tmp"
