#!/usr/bin/python3
"""torch_preload.py: many Python scripts that import torch, at the cost of
one `import torch` (1-2 s of CPU each time otherwise).

One server process imports torch and numpy, then forks a child per job: the
child runs the script as __main__ (runpy), with its own argv, sys.path[0],
working folder and stdout/stderr, and exits with the script's status. A
fork leaves the server untouched, so each script starts from the state a
fresh `python3 SCRIPT` would have after its imports: no print option, grad
mode, seed or module global carries from one job to the next. (The server
runs no torch op, so no thread pool exists when it forks.)

As a library (the test scripts in Python):

    with Preloaded() as p:          # $NB_PYTHON, default /usr/bin/python3
        status, output = p.run([SCRIPT, ARG...], cwd=None)

    Preloaded.available is False (and run() is not to be called) when that
    interpreter cannot import torch and numpy.

As a command (the shell scripts):

    torch_preload.py --log-dir DIR -- 'SCRIPT ARG...' 'SCRIPT ARG...' ...

runs each job (a shell-quoted command line) in turn, writing its stdout to
DIR/N.out, its stderr to DIR/N.err and its exit status to DIR/N.status (N
from 1). Exits 0
once all ran (whatever their statuses), 77 when torch or numpy is missing.
"""

import json
import os
import shlex
import subprocess
import sys

SERVE = "--serve"


# ---- the server: imports once, forks per job ----

def serve():
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        print(json.dumps({"ready": False, "why": str(e)}), flush=True)
        return 77
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_child(job["argv"], job.get("cwd"), job["log"], job.get("err"), job.get("timeout"))
        _, status, usage = os.wait4(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        print(json.dumps({"status": code, "cpu_s": usage.ru_utime + usage.ru_stime}), flush=True)
    return 0


def run_child(argv, cwd, log, err, timeout):
    """In the forked child: argv[0] as __main__, stdout into `log`, stderr
    into `err` (or `log` too), killed by SIGALRM after `timeout` seconds
    when given. Never returns."""
    import atexit
    import runpy
    import signal
    import traceback
    code = 0
    if timeout:
        signal.alarm(int(timeout))
    try:
        for path, fds in ((log, (1,) if err else (1, 2)), (err, (2,))):
            if path:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                for target in fds:
                    os.dup2(fd, target)
                os.close(fd)
        if log:  # a job of run(): no input (the socket's jobs keep their own stdin)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.close(devnull)
        if cwd:
            os.chdir(cwd)
        if argv[0] == "-c":  # python3 -c CODE ARG...: argv is ['-c', ARG...]
            sys.argv = ["-c"] + list(argv[2:])
            sys.path[0] = ""
            import types
            main = types.ModuleType("__main__")
            sys.modules["__main__"] = main
            exec(compile(argv[1], "<string>", "exec"), main.__dict__)
        else:
            script = os.path.abspath(argv[0])
            sys.argv = [script] + list(argv[1:])
            sys.path[0] = os.path.dirname(script)
            runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:  # what an uncaught exception does to `python3 SCRIPT`
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code & 0xFF)


# ---- the socket server: for programs that start `python3` themselves ----

def listen(path):
    """Serves tests/preloaded_python on the UNIX socket `path`: a request is
    the shim's argv, folder and environment, with its stdin, stdout and
    stderr passed along (SCM_RIGHTS); a handler forked per request forks the
    job, waits for it and answers its exit status, so requests may overlap."""
    import signal
    import socket
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        print(json.dumps({"ready": False, "why": str(e)}), flush=True)
        return 77
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)

    def stop(*_):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    print(json.dumps({"ready": True}), flush=True)
    try:
        while True:
            conn, _ = server.accept()
            if os.fork() == 0:
                server.close()
                handle(conn)
                os._exit(0)
            conn.close()
            reap(os.WNOHANG)
    finally:
        # every handler waited for, so that their CPU time is this process's
        # children's, as a test's timing wrapper counts it
        reap(0)


def reap(flags):
    try:
        while os.waitpid(-1, flags)[0] != 0:
            pass
    except ChildProcessError:
        pass


def handle(conn):
    import socket
    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    while not data.endswith(b"\n"):
        more = conn.recv(1 << 20)
        if not more:
            return
        data += more
    job = json.loads(data)
    pid = os.fork()
    if pid == 0:
        conn.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update(job["env"])
        run_child(job["argv"], job["cwd"], None, None, None)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    conn.sendall(b"%d\n" % os.waitstatus_to_exitcode(status))


# ---- the client ----

class Preloaded:
    """A server process; run() sends it one job and waits for its status.
    Preloaded(listen=PATH) serves tests/preloaded_python on socket PATH
    instead (a program's NB_PYTHON), until close()."""

    def __init__(self, python=None, listen=None):
        python = python or os.environ.get("NB_PYTHON") or "/usr/bin/python3"
        mode = ["--listen", listen] if listen else [SERVE]
        self.proc = subprocess.Popen([python, os.path.abspath(__file__)] + mode,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        hello = self.proc.stdout.readline()
        if not hello:  # not "no torch" (that is a hello) but a failure, never a skip
            self.proc.wait()
            raise RuntimeError("torch_preload.py: the server did not start (exit %s)"
                               % self.proc.returncode)
        self.available = json.loads(hello).get("ready", False)

    def run(self, argv, cwd=None, timeout=None):
        """(exit status, stdout and stderr together) of `python3 argv...`;
        a job past `timeout` seconds is killed (status -14, SIGALRM)."""
        import tempfile
        with tempfile.NamedTemporaryFile(prefix="torch-preload-", suffix=".log") as log:
            status = self.run_to(argv, log.name, None, cwd, timeout)
            with open(log.name, encoding="utf-8", errors="replace") as f:
                return status, f.read()

    def run_to(self, argv, out, err, cwd=None, timeout=None):
        """The exit status of `python3 argv... >out 2>err` (err None: 2>&1)."""
        self.proc.stdin.write(json.dumps({"argv": list(argv), "cwd": cwd, "log": out, "err": err,
                                          "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError("torch_preload.py: the server died")
        answer = json.loads(answer)
        self.last_cpu_s = answer["cpu_s"]  # the job's CPU time (user + system), for timing reports
        return answer["status"]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=0 if self.proc.args[-2] == "--listen" else None)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait()
        self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv):
    if argv[:1] == [SERVE]:
        return serve()
    if argv[:1] == ["--listen"] and len(argv) == 2:
        return listen(argv[1])
    if len(argv) < 3 or argv[0] != "--log-dir" or argv[2] != "--":
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        print("usage: torch_preload.py --log-dir DIR -- 'SCRIPT ARG...'...", file=sys.stderr)
        return 2
    log_dir = argv[1]
    os.makedirs(log_dir, exist_ok=True)
    with Preloaded() as p:
        if not p.available:
            print("torch_preload.py: skipped: the Python has no torch or numpy")
            return 77
        for n, job in enumerate(argv[3:], 1):
            base = os.path.join(log_dir, str(n))
            status = p.run_to(shlex.split(job), base + ".out", base + ".err")
            with open(os.path.join(log_dir, "%d.status" % n), "w") as f:
                f.write("%d\n" % status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
