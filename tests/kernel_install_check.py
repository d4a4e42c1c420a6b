#!/usr/bin/env python3
"""kernel_install_check.py ROOT CELL.c GOLDEN.json: the Jupyter kernel of an
installed nbreplay, as a user's own jupyter_client script finds it: the
kernelspec `meson install` put in ROOT/share/jupyter (on JUPYTER_PATH), the
program on PATH. Executes CELL.c's text and compares its output with the
golden's stdout; survives a segfaulting cell; interrupts an endless loop;
is refused (no reply) with a wrong key. Prints ok/FAIL lines; exit 0 or 1,
77 when /usr/bin/python3 has no jupyter_client."""
import json
import os
import queue
import sys
import time

try:
    from jupyter_client import BlockingKernelClient, KernelManager
except ImportError:
    print('skip jupyter: /usr/bin/python3 has no jupyter_client (apt-get install python3-jupyter-client)')
    sys.exit(77)

root, cell_path, golden_path = sys.argv[1:4]
os.environ['JUPYTER_PATH'] = os.path.join(root, 'share', 'jupyter')
os.environ['PATH'] = os.path.join(root, 'bin') + os.pathsep + os.environ['PATH']
failures = []
# A cell that says it runs (a write() of its own goes out as it happens;
# print_line's text comes at the cell's end), then loops for ever.
LOOPING = 'extern long write(int, const void *, unsigned long);\nwrite(1, "looping\\n", 8);\n'



def check(name, ok, detail=''):
    print('%s %s%s' % ('ok  ' if ok else 'FAIL', name, '' if ok else ': ' + str(detail)))
    if not ok:
        failures.append(name)


def execute(kc, code, timeout=60):
    out = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: out.append(m))
    text = ''.join(m['content']['text'] for m in out
                   if m['msg_type'] == 'stream' and m['content']['name'] == 'stdout')
    return reply['content'], text


def wait_for_log(path, line, timeout=30):
    """The kernel's log once it holds line (or as it is at the deadline)."""
    deadline = time.time() + timeout
    while True:
        with open(path) as f:
            logged = f.read()
        if line in logged or time.time() > deadline:
            return logged
        time.sleep(0.02)


log_path = os.path.abspath('kernel.log')  # in the caller's scratch folder
log = open(log_path, 'w')
km = KernelManager(kernel_name='nbreplay')
km.start_kernel(stderr=log)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
with open(cell_path) as f, open(golden_path) as g:
    reply, text = execute(kc, f.read())
    golden = json.load(g)  # format 2: each line once; joined, it is the stdout
    want = '\n'.join(l if isinstance(l, str) else l['text'] for l in golden['lines']) + (
        '\n' if golden['final_newline'] else '')
check('installed kernel: a cell prints PyTorch\'s exact text (cell 7\'s golden)', text == want, (reply, text))
reply, _ = execute(kc, 'int *volatile p = 0;\n*p = 1;')
check('installed kernel: a segfaulting cell is an error', reply.get('ename') == 'CellCrashed', reply)
reply, text = execute(kc, 'print_line(run, "alive");')
check('installed kernel: survives it', text == 'alive\n', reply)
msg_id = kc.execute(LOOPING + 'for (;;) {}')
seen, deadline = '', time.time() + 30
while 'looping\n' not in seen:  # compiled and in its loop (the write comes live): interrupt it now
    try:
        m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
    except queue.Empty:
        check('installed kernel: an endless loop\'s write comes while it runs', False, seen)
        break
    if m['msg_type'] == 'stream' and m['parent_header'].get('msg_id') == msg_id:
        seen += m['content']['text']
km.interrupt_kernel()
reply = kc.get_shell_msg(timeout=20)['content']
check('installed kernel: interrupt stops an endless loop', reply.get('ename') == 'KeyboardInterrupt', reply)
bad = BlockingKernelClient()
bad.load_connection_file(km.connection_file)
bad.session.key = b'wrong key'
bad.start_channels()
bad.kernel_info()
# The log line says the kernel has read and dropped it; a reply, were
# there one, would follow within moments.
logged = wait_for_log(log_path, 'dropped a message with a bad signature')
check('installed kernel: logs the wrong key', 'dropped a message with a bad signature' in logged, logged)
try:
    bad.get_shell_msg(timeout=0.5)
    check('installed kernel: refuses a wrong key', False, 'it replied')
except queue.Empty:
    check('installed kernel: refuses a wrong key', True)
bad.stop_channels()
kc.stop_channels()
km.shutdown_kernel(now=False)
sys.stdout.flush()
os._exit(1 if failures else 0)
