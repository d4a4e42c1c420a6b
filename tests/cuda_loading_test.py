#!/usr/bin/env python3
"""A build with CUDA, on how it loads CUDA (docs/cuda.md): the program and
the library link no CUDA library, so they start and run CPU work without
one, and a CPU run opens none; the backend is the module, found in the build tree, exporting its
entry alone and needing no shared CUDA runtime; asking for the GPU where
there is none, or where the module cannot be loaded, is one line and exit
1, and `--device auto` falls back to the CPU without a word.

Usage: cuda_loading_test.py NBREPLAY MODULE [LIBRARY...], LIBRARY being
the shared libnbreplay where the build makes one. Needs readelf (binutils).
Ends with 'N passed, N failed' and exits 1 if anything failed.
"""
import os
import re
import subprocess
import sys

NBREPLAY, MODULE, LIBRARIES = sys.argv[1], sys.argv[2], sys.argv[3:]
CUDA_LIBRARY = re.compile(r'lib(cudart|cublas|cublasLt|cuda)\.so')
MISSING = '/nonexistent/nbreplay-cuda.so'
results = []


def check(name, ok, detail=''):
    results.append(ok)
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else '\n    ' + detail))


def needed(path):
    out = subprocess.run(['readelf', '-d', '-W', path], capture_output=True, text=True, check=True).stdout
    return re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', out)


def exported(path):
    """Names of the functions and objects path defines for others."""
    out = subprocess.run(['readelf', '--dyn-syms', '-W', path], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if len(fields) >= 8 and fields[4] in ('GLOBAL', 'WEAK') and fields[6] != 'UND':
            names.add(fields[7].split('@')[0])
    return names


def run(args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k != 'NBREPLAY_CUDA_MODULE'}
    env.update(env_changes)
    return subprocess.run([NBREPLAY, *args], capture_output=True, text=True, env=env, timeout=120)


def cuda_line(p):
    return next((line for line in p.stdout.splitlines() if line.startswith('cuda:')), '')


def one_line_failure(name, p, needle):
    lines = p.stderr.splitlines()
    check(name, p.returncode == 1 and p.stdout == '' and len(lines) == 1 and needle in p.stderr,
          'exit %d, stdout %r, stderr %r' % (p.returncode, p.stdout[:200], p.stderr))


# ---- linkage ----
for path in [NBREPLAY] + LIBRARIES:
    libs = needed(path)
    cuda = [lib for lib in libs if CUDA_LIBRARY.match(lib)]
    check('%s needs libc and no CUDA library' % os.path.basename(path),
          'libc.so.6' in libs and not cuda, 'NEEDED: %s' % libs)
module_libs = needed(MODULE)
check('the module has the CUDA runtime linked in and opens cuBLAS itself',
      'libc.so.6' in module_libs and not [lib for lib in module_libs if CUDA_LIBRARY.match(lib)],
      'NEEDED: %s' % module_libs)
check('the module exports its entry alone', exported(MODULE) == {'nb_cuda_module_entry'},
      'exports %s' % sorted(exported(MODULE))[:20])

# ---- a CPU run opens nothing of CUDA ----
# The dynamic loader lists every file it opens under LD_DEBUG=files;
# --version, which opens the module, shows the listing would name it.
opened = {args[0]: run(args, LD_DEBUG='files').stderr for args in (['--version'], ['run', '3', '--device', 'cpu'])}
check('a --device cpu run opens no CUDA module or driver',
      'nbreplay-cuda.so' in opened['--version'] and
      not re.search(r'nbreplay-cuda\.so|libcuda\.so|libcudart', opened['run']),
      'the loader opened: %s' % re.findall(r'file=(\S+)', opened['run']))

# ---- finding the module ----
p = run(['--version'])
check('--version names the build tree\'s module',
      p.returncode == 0 and cuda_line(p).startswith('cuda: built; module %s; runtime ' % os.path.realpath(MODULE)),
      'exit %d, stdout %r, stderr %r' % (p.returncode, p.stdout, p.stderr))
p = run(['--version'], NBREPLAY_CUDA_MODULE=MISSING)
check('--version says why a missing module is not loaded',
      p.returncode == 0 and cuda_line(p) == 'cuda: built; CUDA is not available: %s: cannot open shared '
      'object file: No such file or directory' % MISSING, 'stdout %r' % p.stdout)

# ---- --device cuda without a GPU: one line ----
# An empty CUDA_VISIBLE_DEVICES hides every device, so there is no usable
# GPU here whatever the machine has.
one_line_failure('--device cuda without a usable GPU', run(['run', '3', '--device', 'cuda'],
                 CUDA_VISIBLE_DEVICES=''), 'nbreplay: --device cuda: ')
one_line_failure('--device cuda with NBREPLAY_CUDA_MODULE naming no file',
                 run(['run', '3', '--device', 'cuda'], NBREPLAY_CUDA_MODULE=MISSING),
                 'nbreplay: --device cuda: CUDA is not available: %s: cannot open shared object file' % MISSING)
one_line_failure('--device cuda with NBREPLAY_CUDA_MODULE naming another library',
                 run(['run', '3', '--device', 'cuda'], NBREPLAY_CUDA_MODULE='libm.so.6'),
                 'nbreplay: --device cuda: CUDA is not available: libm.so.6 is not the CUDA module of '
                 'this nbreplay')

# ---- --device auto falls back to the CPU quietly ----
for name, env in [('without a usable GPU', {'CUDA_VISIBLE_DEVICES': ''}),
                  ('without the module', {'NBREPLAY_CUDA_MODULE': MISSING})]:
    p = run(['verify', '1', '3', '6'], **env)
    check('verify on --device auto %s runs on the CPU, silently' % name,
          p.returncode == 0 and p.stderr == '', 'exit %d, stderr %r' % (p.returncode, p.stderr))

passed = sum(results)
print('%d passed, %d failed' % (passed, len(results) - passed))
sys.exit(0 if passed == len(results) else 1)
