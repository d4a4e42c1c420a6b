"""progress (issue 18, item 3): cell 9's status lines reach a person at a
terminal whether they run the cell, the whole notebook or export it, and
nothing of them reaches a pipe.

stderr is a pseudo-terminal (python's pty) in the terminal runs and a pipe
in the others; stdout is a pipe in both, so what a script captures can be
compared byte for byte. NBREPLAY_PROGRESS_AFTER=0 shows every phase at once
(a person sees only phases over a second), and the timing cell runs small.

    progress_test.py NBREPLAY REPO_ROOT
"""
import os
import pty
import re
import select
import subprocess
import tempfile

from ux_helpers import NBREPLAY, TIMING_PARAMS, check, finish

PHASES = ['cell 9: drawing X and Y', 'cell 9: np.matmul(X,Y)', 'cell 9: torch.matmul(XG,YG) on cpu']
# a phase's line completed with its time, as progress_end writes it
DONE = re.compile(r'(cell 9: [^\r\n]*?): \d+\.\d s *\r?\n')


def run_with_stderr(args, on_terminal, env_extra=None, timeout=240):
    """(exit status, stdout, stderr) of nbreplay ARGS, stderr on a new
    pseudo-terminal or a pipe."""
    env = dict(os.environ, NBREPLAY_PROGRESS_AFTER='0')
    env.update(env_extra or {})
    env.pop('NO_COLOR', None)
    if not on_terminal:
        done = subprocess.run([NBREPLAY, *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=timeout)
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen([NBREPLAY, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, env=env)
    os.close(slave)
    terminal = b''
    out = b''
    streams = {master, proc.stdout.fileno()}
    while streams:
        ready, _, _ = select.select(list(streams), [], [], timeout)
        if not ready:
            proc.kill()
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's last writer has gone (EIO)
                chunk = b''
            if not chunk:
                streams.discard(fd)
            elif fd == master:
                terminal += chunk
            else:
                out += chunk
    os.close(master)
    proc.stdout.close()
    return proc.wait(), out.decode(), terminal.decode()


def phases_shown(terminal):
    return [m.group(1) for m in DONE.finditer(terminal)]


def check_command(label, args, compare_stdout=True):
    status, out, terminal = run_with_stderr(args, on_terminal=True)
    check('%s on a terminal: exit 0' % label, status == 0, terminal)
    check('%s on a terminal: each of cell 9\'s phases shown and completed with its time' % label,
          phases_shown(terminal) == PHASES, repr(terminal))
    status_p, out_p, err_p = run_with_stderr(args, on_terminal=False)
    check('%s piped: exit 0' % label, status_p == 0, err_p)
    check('%s piped: nothing on stderr' % label, err_p == '', repr(err_p))
    if compare_stdout:
        # the timings differ from run to run; everything else is the same bytes
        number = re.compile(r'^-?\d[\d.e+-]*$', re.M)
        check('%s: stdout is the same on a terminal as piped, progress never in it' % label,
              number.sub('T', out) == number.sub('T', out_p) and 'cell 9:' not in out,
              '%r\n---\n%r' % (out[-400:], out_p[-400:]))


check_command('run 9', ['run', '9', *TIMING_PARAMS])
check_command('run (the whole notebook)', ['run', *TIMING_PARAMS])
with tempfile.TemporaryDirectory() as folder:
    doc = os.path.join(folder, 'notebook.md')
    check_command('export', ['export', '-o', doc, *TIMING_PARAMS], compare_stdout=False)
    check('export: the document was written', os.path.exists(doc))

# Without NBREPLAY_PROGRESS_AFTER a phase shows only once it has run a
# second; these small ones never do, and the terminal stays clean.
status, out, terminal = run_with_stderr(['run', '9', *TIMING_PARAMS], on_terminal=True,
                                        env_extra={'NBREPLAY_PROGRESS_AFTER': ''})
check('run 9 small on a terminal, default delay: no line for phases under a second',
      status == 0 and 'cell 9:' not in terminal, repr(terminal))
finish()
