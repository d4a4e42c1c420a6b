#!/usr/bin/env python3
"""The Jupyter kernel driven by real Jupyter (docs/jupyter.md).

Usage: kernel_test.py NBREPLAY. Installs the kernelspec with `nbreplay
kernel install --prefix TMP`, puts it on JUPYTER_PATH, starts the kernel
through jupyter_client.KernelManager, and checks: kernel_info; a cell's
output against what PyTorch prints for the same code (run here, in real
PyTorch); magics (seed against NumPy, timeout, a bad one); the library's
error in PyTorch's words; a compile error; a crash, then the next cell; an
interrupt of an endless loop, then the next cell; a message with a bad HMAC
(dropped, logged, no reply; the kernel serves on); complete, inspect,
is_complete; restart; shutdown. Exits 77 (skipped) without jupyter_client
or PyTorch in /usr/bin/python3.
"""
import contextlib
import io
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import time

DEBIAN_PYTHON = '/usr/bin/python3'
NBREPLAY = os.path.abspath(sys.argv[1])

try:
    import jupyter_client  # noqa: F401
    import numpy as np
    import torch
except ImportError as e:
    if sys.executable != DEBIAN_PYTHON and os.path.exists(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    print('kernel: skipped: %s (apt-get install python3-jupyter-client python3-torch)' % e)
    sys.exit(77)
from jupyter_client import BlockingKernelClient, KernelManager

results = []
# A cell that says it runs (a write() of its own goes out as it happens;
# print_line's text comes at the cell's end), then loops for ever.
LOOPING = 'extern long write(int, const void *, unsigned long);\nwrite(1, "looping\\n", 8);\n'



def check(name, ok, detail=''):
    results.append(bool(ok))
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else '\n    ' + str(detail)))


def torch_prints(fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn()
    return out.getvalue()


def execute(kc, code, timeout=60):
    """(reply content, [(msg_type, content)] of the iopub messages)"""
    outputs = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda m: outputs.append((m['msg_type'], m['content'])))
    return reply['content'], outputs


def stdout_of(outputs):
    return ''.join(c['text'] for t, c in outputs if t == 'stream' and c['name'] == 'stdout')


def errors_of(outputs):
    return [c for t, c in outputs if t == 'error']


def wait_for_stdout(kc, msg_id, text, timeout=30):
    """Reads iopub until the cell msg_id has printed text (a write() of the
    cell's own: print_line's text comes at the cell's end), that is
    until it runs; False if not by the deadline."""
    seen = ''
    deadline = time.time() + timeout
    while text not in seen:
        try:
            m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        except queue.Empty:
            return False
        if m['msg_type'] == 'stream' and m['parent_header'].get('msg_id') == msg_id:
            seen += m['content']['text']
    return True


def wait_for_log(path, line, timeout=30):
    """The kernel's log once it holds line (or as it is at the deadline)."""
    deadline = time.time() + timeout
    while True:
        with open(path) as f:
            logged = f.read()
        if line in logged or time.time() > deadline:
            return logged
        time.sleep(0.02)


work = tempfile.mkdtemp(prefix='nbreplay-kernel-')
install = subprocess.run([NBREPLAY, 'kernel', 'install', '--prefix', work], capture_output=True, text=True)
check('kernel install --prefix writes kernel.json', install.returncode == 0, install.stderr)
spec_path = os.path.join(work, 'share', 'jupyter', 'kernels', 'nbreplay', 'kernel.json')
with open(spec_path) as f:
    spec = json.load(f)
check('kernelspec: display name, language, argv', spec['display_name'] == 'C (nbreplay)' and
      spec['language'] == 'c' and spec['argv'][1:] == ['kernel', '-f', '{connection_file}'], spec)
os.environ['JUPYTER_PATH'] = os.path.join(work, 'share', 'jupyter')
# (an interpreter of its own: it runs while the kernel starts below)
listing = subprocess.Popen([DEBIAN_PYTHON, '-m', 'jupyter_client.kernelspecapp', 'list'],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

log_path = os.path.join(work, 'kernel.log')
log = open(log_path, 'w')
km = KernelManager(kernel_name='nbreplay')
km.start_kernel(stderr=log, cwd=work)
kc = km.client()
kc.start_channels()
listed_out, listed_err = listing.communicate(timeout=60)
check('jupyter kernelspec list shows nbreplay', 'nbreplay' in listed_out, listed_out + listed_err)
kc.wait_for_ready(timeout=60)

info = kc.kernel_info(reply=True, timeout=10)['content']
check('kernel_info: protocol 5.3, language c', info['protocol_version'] == '5.3' and
      info['language_info']['name'] == 'c', info)

# A cell's output is what PyTorch prints for the same code.
reply, out = execute(kc, 'Tensor *T = torch_tensor("[[1.,2.],[3.,4.]]");\n'
                         'print_tensor(run, tensor_mm(T, T));\n'
                         'print_tensor(run, tensor_sin(T));')
T = torch.tensor([[1., 2.], [3., 4.]])
expected = torch_prints(lambda: (print(torch.mm(T, T)), print(torch.sin(T))))
check('execute: output equals PyTorch\'s', reply['status'] == 'ok' and stdout_of(out) == expected,
      (reply, stdout_of(out), expected))
types = [t for t, _ in out]
check('execute: busy, execute_input, stream, idle', types[0] == 'status' and 'execute_input' in types and
      types[-1] == 'status' and out[-1][1]['execution_state'] == 'idle', types)
first = reply['execution_count']
reply, out = execute(kc, 'print_line(run, "second");')
check('execution counts go up', reply['execution_count'] == first + 1, reply)

outputs = []
reply = kc.execute_interactive('print_line(run, "quiet");', silent=True, timeout=60,
                               output_hook=lambda m: outputs.append(m['msg_type']))['content']
check('silent: runs, broadcasts no input or output, counts nothing',
      reply['status'] == 'ok' and 'stream' not in outputs and 'execute_input' not in outputs and
      reply['execution_count'] == first + 1, (reply, outputs))

# Magics
reply, out = execute(kc, '//% seed 3\n'
                         'print_tensor(run, torch_tensor_from_numpy(run, np_random_normal(run, 0., 1., SHAPE(2, 3))));')
np.random.seed(3)
expected = torch_prints(lambda: print(torch.tensor(np.random.normal(0., 1., (2, 3)))))
check('//% seed 3 is np.random.seed(3)', stdout_of(out) == expected, (stdout_of(out), expected))
reply, out = execute(kc, 'print_tensor(run, torch_tensor_from_numpy(run, np_random_normal(run, 0., 1., SHAPE(2))));')
np.random.seed(0)
expected = torch_prints(lambda: print(torch.tensor(np.random.normal(0., 1., (2,)))))
check('each cell starts from seed 0 again', stdout_of(out) == expected, (stdout_of(out), expected))
reply, out = execute(kc, '//% timeout 0.5\nfor (;;) {}')
check('//% timeout stops a cell', reply['status'] == 'error' and reply['ename'] == 'TimeoutError', reply)
reply, out = execute(kc, '//% sed 3\nprint_line(run, "x");')
check('an unknown magic is an error', reply['status'] == 'error' and reply['ename'] == 'MagicError' and
      'unknown magic' in reply['evalue'], reply)

# The library's error, in PyTorch's words.
reply, out = execute(kc, 'print_tensor(run, tensor_mm(torch_tensor("[[1.,2.]]"), torch_tensor("[[1.,2.]]")));')
try:
    torch.mm(torch.tensor([[1., 2.]]), torch.tensor([[1., 2.]]))
    torch_error = None
except RuntimeError as e:
    torch_error = str(e)
check('a failing line: PyTorch\'s error text', reply['status'] == 'error' and reply['evalue'] == torch_error and
      errors_of(out) and errors_of(out)[0]['evalue'] == torch_error, (reply, torch_error))

# A compile error: the compiler's message, on the cell's own lines.
reply, out = execute(kc, 'Tensor *T = torch_tensor("[1.]");\nprint_tensor(run, T)\nint x = ;')
tb = '\n'.join(reply.get('traceback', []))
check('compile error: CompileError with the compiler\'s diagnostics',
      reply['status'] == 'error' and reply['ename'] == 'CompileError' and
      'In[%d]:' % reply['execution_count'] in tb and 'error' in tb, reply)

# A crash, then the next cell.
reply, out = execute(kc, 'print_line(run, "before");\nint *volatile p = 0;\n*p = 1;')
check('a crash is an error: segmentation fault', reply['status'] == 'error' and reply['ename'] == 'CellCrashed' and
      'segmentation fault' in reply['evalue'], reply)
check('a crash shows the output before it, marked partial', stdout_of(out) == 'before\n' and
      'partial' in '\n'.join(reply['traceback']), (stdout_of(out), reply))
reply, out = execute(kc, 'abort();')
check('abort() is an error', reply['status'] == 'error' and 'aborted' in reply['evalue'], reply)
reply, out = execute(kc, 'print_line(run, "alive");')
check('the next cell runs after a crash', reply['status'] == 'ok' and stdout_of(out) == 'alive\n', reply)

# Interrupt an endless loop (Jupyter's interrupt: a message on control).
msg_id = kc.execute(LOOPING + 'for (volatile int i = 0;; i++) {}')
check('an endless loop\'s write comes while it runs', wait_for_stdout(kc, msg_id, 'looping\n'))
started = time.time()
km.interrupt_kernel()
reply = kc.get_shell_msg(timeout=20)
check('interrupt stops an endless loop', reply['parent_header']['msg_id'] == msg_id and
      reply['content']['status'] == 'error' and reply['content']['ename'] == 'KeyboardInterrupt' and
      time.time() - started < 5, reply['content'])
while True:  # the rest of that cell's iopub messages
    m = kc.get_iopub_msg(timeout=10)
    if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle' and \
            m['parent_header'].get('msg_id') == msg_id:
        break
reply, out = execute(kc, 'print_line(run, "after the interrupt");')
check('the kernel runs the next cell after an interrupt', stdout_of(out) == 'after the interrupt\n', reply)

# Signal mode: SIGINT to the kernel stops a running cell, and is ignored
# between cells (Jupyter sends it in interrupt_mode "signal").
msg_id = kc.execute(LOOPING + 'for (volatile int i = 0;; i++) {}')
wait_for_stdout(kc, msg_id, 'looping\n')  # in its loop (checked above)
os.kill(km.provisioner.pid, signal.SIGINT)
reply = kc.get_shell_msg(timeout=20)['content']
check('SIGINT stops a running cell', reply.get('ename') == 'KeyboardInterrupt', reply)
# No wait after this kill: between cells the kernel's SIGINT is SIG_IGN,
# and the kernel discards an ignored signal when it is sent.
os.kill(km.provisioner.pid, signal.SIGINT)
reply, out = execute(kc, 'print_line(run, "SIGINT between cells is ignored");')
check('SIGINT between cells leaves the kernel running', stdout_of(out) == 'SIGINT between cells is ignored\n', reply)

# A client with the wrong key: dropped, logged, no reply.
# (a client of its own: km.client() would share kc's session id, and so its
# routing identity, which the kernel's ROUTER socket refuses a second time)
bad = BlockingKernelClient()
bad.load_connection_file(km.connection_file)
bad.session.key = b'not-the-key'
bad.start_channels()
bad.execute('print_line(run, "should not run");')
# The log line says the kernel has read and dropped the message; a reply,
# were there one, would follow within moments.
logged = wait_for_log(log_path, 'dropped a message with a bad signature')
try:
    got = bad.get_shell_msg(timeout=0.5)
    check('a bad signature gets no reply', False, got)
except queue.Empty:
    check('a bad signature gets no reply', True)
bad.stop_channels()
check('a bad signature is logged', 'dropped a message with a bad signature' in logged, logged)
reply, out = execute(kc, 'print_line(run, "still here");')
check('the kernel serves on after a bad signature', stdout_of(out) == 'still here\n', reply)

# complete, inspect, is_complete
code = 'Tensor *weights = torch_tensor("[1.]");\nprint_tensor(run, tensor_m'
c = kc.complete(code, len(code), reply=True, timeout=10)['content']
check('complete: public names', {'tensor_mm', 'tensor_mul', 'tensor_matmul'} <= set(c['matches']) and
      c['cursor_start'] == len(code) - len('tensor_m') and c['cursor_end'] == len(code), c)
code2 = 'Tensor *weights = torch_tensor("[1.]");\nprint_tensor(run, wei'
c = kc.complete(code2, len(code2), reply=True, timeout=10)['content']
check('complete: the cell\'s own variables', c['matches'] == ['weights'], c)
c = kc.complete('print_t', 7, reply=True, timeout=10)['content']
check('complete: the cell vocabulary', 'print_tensor' in c['matches'], c)
i = kc.inspect('x = tensor_mm(a, b);', 8, reply=True, timeout=10)['content']
text = i['data'].get('text/plain', '')
check('inspect: declaration and the PyTorch it mirrors', i['found'] and
      'Tensor *tensor_mm(Tensor *a, Tensor *b);' in text and 'torch.mm' in text, i)
i = kc.inspect('print_tensor(', 13, reply=True, timeout=10)['content']
check('inspect: the call the cursor is in, its doc line', i['found'] and
      'print(t)' in i['data'].get('text/plain', ''), i)
i = kc.inspect('no_such_name', 3, reply=True, timeout=10)['content']
check('inspect: an unknown name is not found', not i['found'], i)
kc.is_complete('for (int i = 0; i < 3; i++) {')
r1 = kc.get_shell_msg(timeout=10)['content']
kc.is_complete('print_line(run, "x");')
r2 = kc.get_shell_msg(timeout=10)['content']
check('is_complete: an open brace is incomplete, a statement complete',
      r1['status'] == 'incomplete' and r2['status'] == 'complete', (r1, r2))

# Restart: a new kernel process, counts from 1 again.
km.restart_kernel(now=False)
kc.wait_for_ready(timeout=60)
reply, out = execute(kc, 'print_line(run, "restarted");')
check('restart: a fresh kernel answers, counting from 1', reply['execution_count'] == 1 and
      stdout_of(out) == 'restarted\n', reply)

# Shutdown: the kernel answers and exits by itself.
process = km.provisioner.process
kc.shutdown()
try:
    code = process.wait(timeout=10)
    check('shutdown: the kernel exits 0 by itself', code == 0, code)
except subprocess.TimeoutExpired:
    check('shutdown: the kernel exits by itself', False, 'still running after 10 s')
kc.stop_channels()
km.shutdown_kernel(now=True)
log.close()

print('%d/%d passed' % (sum(results), len(results)))
sys.stdout.flush()
os._exit(0 if all(results) else 1)  # not sys.exit: jupyter_client's finalizers are noisy at exit
