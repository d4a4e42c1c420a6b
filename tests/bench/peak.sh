#!/bin/sh
# peak.sh: this CPU's float64 peak in GFLOP/s, cores x GHz x FLOPs/cycle,
# from /proc/cpuinfo, printed with its working (docs/performance.md).
#
# FLOPs per cycle per core: the widest vector the flags offer (avx512f: 8
# doubles, avx/avx2: 4, else sse2: 2), times 2 when there is fused
# multiply-add (fma: a multiply and an add per lane), times the FMA (or
# multiply) pipes: 2 on every x86 core that has AVX2 and FMA since Haswell
# and Zen 2, which /proc/cpuinfo cannot say, hence PIPES (default 2).
# The GHz is the "cpu MHz" line: under a hypervisor that is the nominal
# clock, and a core that boosts beyond it can exceed this "peak".
set -eu
pipes=${PIPES:-2}
flags=$(grep -m1 '^flags' /proc/cpuinfo)
has() { echo "$flags" | grep -qw "$1"; }
if has avx512f; then lanes=8; elif has avx2 || has avx; then lanes=4; else lanes=2; fi
if has fma; then per_lane=2; else per_lane=1; fi
cores=$(nproc)
mhz=$(awk -F: '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo)
model=$(awk -F: '/^model name/ {print $2; exit}' /proc/cpuinfo)
family=$(awk -F: '/^cpu family/ {print $2; exit}' /proc/cpuinfo)
awk -v c="$cores" -v m="$mhz" -v l="$lanes" -v f="$per_lane" -v p="$pipes" -v name="$model" -v fam="$family" 'BEGIN {
    fpc = l * f * p
    printf "cpu:%s (family%s), %d cores at %.3f GHz\n", name, fam, c, m / 1000
    printf "FLOPs/cycle/core: %d lanes x %d (fma) x %d pipes = %d\n", l, f, p, fpc
    printf "float64 peak: %d x %.3f x %d = %.1f GFLOP/s\n", c, m / 1000, fpc, c * m / 1000 * fpc
}'
