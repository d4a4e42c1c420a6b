#!/usr/bin/python3
"""torch_preload.py: many Python scripts that import torch, at the cost of
one `import torch` (1-2 s of CPU each time otherwise) for a whole test run.

A server imports torch and numpy once, then forks a child per job: the child
runs the script as __main__ (runpy), with the client's argv, working folder,
environment, stdin, stdout and stderr, and its exit status goes back to the
client. A fork leaves the server untouched, so each script starts from the
state a fresh `python3 SCRIPT` would have after its imports: no print
option, grad mode, seed or module global carries from one job to the next.
(The server runs no torch op, so no thread pool exists when it forks.)

One server serves every test of a run: the first client starts it, the rest
find it on a UNIX socket in the abstract namespace, named after what shapes
its `import torch` (the interpreter, this file's text, the user, and the
environment variables the import reads: SERVER_ENV). So a test that changes
one of those gets a server of its own. Both ends check that the other is
the same user (peer_uid). The server leaves nothing on disk, is
in a session of its own with /dev/null for its streams (no pipe of a test
waits for it), and exits after IDLE_S seconds with no job. A job whose
client goes away (a test killed at its timeout) is killed with its process
group. Two things make its jobs cheaper than a fresh interpreter and change
nothing they print: it preloads tests/torch_bare_backtrace.c (that file
says why), and it hides its imported objects from the collector
(gc.freeze, in daemon()).

As a library (the test scripts in Python):

    with Preloaded() as p:          # $NB_PYTHON, default /usr/bin/python3
        status, output = p.run([SCRIPT, ARG...], cwd=None)

    Preloaded.available is False (and run() is not to be called) when that
    interpreter cannot import torch and numpy.

As a command (the shell scripts):

    torch_preload.py --log-dir DIR -- 'SCRIPT ARG...' 'SCRIPT ARG...' ...

runs each job (a shell-quoted command line) in turn, writing its stdout to
DIR/N.out, its stderr to DIR/N.err and its exit status to DIR/N.status (N
from 1). Exits 0 once all ran (whatever their statuses), 77 when torch or
numpy is missing.

tests/preloaded_python stands for `python3` itself (as NB_PYTHON, or as a
test's interpreter) on the same server.
"""

import marshal
import os
import socket
import struct
import sys
import zlib

IDLE_S = 30
# What `import torch` and `import numpy` read from the environment (thread
# counts, BLAS and CUDA choices, the loader, Python's own settings, the
# locale its streams' encoding comes from). Nothing else keys the server:
# meson gives each test its own MALLOC_PERTURB_, which must not.
SERVER_ENV = ("LD_", "PYTHON", "OMP_", "MKL_", "OPENBLAS_", "GOTO", "KMP_", "CUDA_",
              "TORCH_", "ATEN_", "NUMPY_", "NPY_", "GLIBC_TUNABLES", "LANG", "LC_")
NAME_PREFIX = "\0nbreplay-torch-preload-"
MAX_MESSAGE = 1 << 22


# ---- messages: a 4-byte length, then marshal's bytes (both ends are the
# same Python; marshal and zlib, unlike json and hashlib, import in no time) ----

def send_message(conn, obj, fds=()):
    data = marshal.dumps(obj)
    data = len(data).to_bytes(4, "little") + data
    if fds:
        sent = socket.send_fds(conn, [data], list(fds))
        conn.sendall(data[sent:])
    else:
        conn.sendall(data)


def recv_message(conn, max_fds=0):
    """(object, fds); EOFError when the peer closed before a whole message."""
    if max_fds:
        data, fds, _, _ = socket.recv_fds(conn, 1 << 16, max_fds)
    else:
        data, fds = conn.recv(1 << 16), []
    try:
        while len(data) < 4 or len(data) < 4 + int.from_bytes(data[:4], "little"):
            if len(data) >= 4 and int.from_bytes(data[:4], "little") > MAX_MESSAGE:
                raise ValueError("message too long")
            more = conn.recv(1 << 16)
            if not more:
                raise EOFError
            data += more
        return marshal.loads(data[4:]), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def server_key(python, env):
    text = [os.path.realpath(python).encode(), b"uid=%d" % os.getuid()]
    with open(os.path.abspath(__file__), "rb") as f:
        text.append(f.read())
    text += [("%s=%s" % (name, env[name])).encode() for name in sorted(env) if name.startswith(SERVER_ENV)]
    text = b"\0".join(text)
    # two CRCs: a name, not a secret (zlib imports in no time; hashlib does not)
    return "%08x%08x" % (zlib.crc32(text), zlib.crc32(text[::-1]))


def peer_uid(conn):
    """The user id of the process at the other end of a UNIX socket. A name
    in the abstract namespace has no file permissions: anyone on the
    machine can bind or connect to it, so each end checks that the other is
    this user (a job runs code, and its request carries its streams)."""
    _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                    struct.calcsize("3i")))
    return uid


# ---- the server: imports once, forks per job ----

def daemon(key, ack_fd):
    """Binds the socket first (a second server racing to start finds the
    name taken and leaves), forks the server proper, tells the starter on
    ack_fd, then imports torch: clients that connect meanwhile wait in the
    listen queue."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(NAME_PREFIX + key)
    except OSError:
        os.write(ack_fd, b"taken\n")
        return 0
    server.listen(64)
    if os.fork() != 0:
        os.write(ack_fd, b"bound\n")
        return 0
    os.close(ack_fd)
    os.setsid()
    os.chdir("/")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    why = None
    try:
        import numpy  # noqa: F401
        import torch  # noqa: F401
    except ImportError as e:
        why = str(e)
    # what every job needs, imported once here rather than in each fork
    import atexit, runpy, signal, traceback, types  # noqa: F401,E401
    # Everything imported so far out of the collector's sight: a job's full
    # collection would otherwise walk torch's objects, writing to each and
    # so copying every page of the server's heap into the fork (0.25 s a
    # collection). They live as long as the server anyway.
    import gc
    gc.freeze()
    serve(server, why)
    os._exit(0)


def serve(server, why):
    import selectors
    import signal
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ, "accept")
    jobs = 0
    while True:
        events = sel.select(None if jobs else IDLE_S)
        if not events:
            return  # idle: nothing runs and nobody came for IDLE_S seconds
        for key, _ in events:
            what = key.data
            if what == "accept":
                conn, _ = server.accept()
                if peer_uid(conn) != os.getuid():
                    conn.close()
                    continue
                started = start_job(conn, why)
                if started:
                    pid, pidfd = started
                    sel.register(pidfd, selectors.EVENT_READ, ("done", pid, conn))
                    sel.register(conn, selectors.EVENT_READ, ("client", pid))
                    jobs += 1
            elif what[0] == "client":
                # a running job's client sent more or went away: it is gone
                try:
                    os.killpg(what[1], signal.SIGKILL)
                except ProcessLookupError:
                    pass
                sel.unregister(key.fileobj)
            else:
                _, pid, conn = what
                _, status, usage = os.wait4(pid, 0)
                sel.unregister(key.fileobj)
                os.close(key.fileobj)
                try:
                    sel.unregister(conn)
                except KeyError:
                    pass
                reply(conn, {"status": os.waitstatus_to_exitcode(status),
                             "cpu_s": usage.ru_utime + usage.ru_stime})
                jobs -= 1


def reply(conn, answer):
    try:
        send_message(conn, answer)
    except OSError:
        pass
    conn.close()


def start_job(conn, why):
    """Reads a request (a message, the job's standard streams as
    SCM_RIGHTS) and forks its job; (pid, pidfd), or None when the request
    was answered at once (a ping, no torch, a bad request)."""
    conn.settimeout(10)
    try:
        job, fds = recv_message(conn, 3)
    except (OSError, ValueError, EOFError, TypeError):
        conn.close()
        return None
    if not isinstance(job, dict):
        job = {}
    if job.get("ping") or why is not None or len(fds) != 3 or "argv" not in job:
        for fd in fds:
            os.close(fd)
        reply(conn, {"ready": why is None, "why": why} if job.get("ping") or why
                    else {"status": 2, "why": "a job is argv, cwd, env and three standard streams"})
        return None
    pid = os.fork()
    if pid == 0:
        os.setpgid(0, 0)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, 1 << 16)
        os.environ.clear()
        os.environ.update(job["env"])
        run_child(job["argv"], job["cwd"], job.get("timeout"))
    try:
        os.setpgid(pid, pid)  # as the child does: whichever runs first
    except OSError:
        pass
    for fd in fds:
        os.close(fd)
    conn.settimeout(None)
    return pid, os.pidfd_open(pid)


def run_child(argv, cwd, timeout):
    """In the forked child: `python3 argv...` in folder cwd, killed by
    SIGALRM after `timeout` seconds when given. Never returns."""
    import atexit
    import runpy
    import signal
    import traceback
    code = 0
    if timeout:
        signal.alarm(int(timeout))
    # sys.stdout was made for the server's /dev/null: line-buffered, as a
    # new interpreter makes it, when the job's stdout is a terminal
    sys.stdout.reconfigure(line_buffering=os.isatty(1))
    try:
        os.chdir(cwd)
        if argv[0] == "-c":  # python3 -c CODE ARG...: sys.argv is ['-c', ARG...]
            sys.argv = ["-c"] + list(argv[2:])
            sys.path[0] = ""
            import types
            main = types.ModuleType("__main__")
            sys.modules["__main__"] = main
            exec(compile(argv[1], "<string>", "exec"), main.__dict__)
        elif argv[0] == "-m":  # python3 -m MODULE ARG...
            sys.argv = [argv[1]] + list(argv[2:])
            sys.path[0] = os.getcwd()
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
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


# ---- the client ----

def bare_backtrace_library(folder):
    """torch_bare_backtrace.c built into folder, for the server to preload
    (that file says why), or None: no C compiler, or the user asked for
    torch's C++ backtraces (TORCH_SHOW_CPP_STACKTRACES), which it would
    blank. The server maps it at its start; the file can go then."""
    import shutil
    import subprocess
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not compiler or os.environ.get("TORCH_SHOW_CPP_STACKTRACES", "0") not in ("", "0"):
        return None
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_bare_backtrace.c")
    library = os.path.join(folder, "torch_bare_backtrace.so")
    built = subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", library, source],
                           stdin=subprocess.DEVNULL, capture_output=True)
    return library if built.returncode == 0 else None


def start_server(python, key):
    """Starts the server for `key` unless one already took the name."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="torch-preload-") as folder:
        env = dict(os.environ)
        library = bare_backtrace_library(folder)
        if library:
            env["LD_PRELOAD"] = " ".join(filter(None, [library, env.get("LD_PRELOAD")]))
        ack_read, ack_write = os.pipe()
        try:
            starter = subprocess.Popen([python, os.path.abspath(__file__), "--daemon", key, str(ack_write)],
                                       pass_fds=(ack_write,), stdin=subprocess.DEVNULL, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/")
            os.close(ack_write)
            ack_write = None
            ack = os.read(ack_read, 64)
            errors = starter.stderr.read()
            starter.wait()
        finally:
            os.close(ack_read)
            if ack_write is not None:
                os.close(ack_write)
    if ack not in (b"bound\n", b"taken\n"):
        raise RuntimeError("torch_preload.py: the server did not start (exit %s): %s"
                           % (starter.returncode, errors.decode(errors="replace").strip()))


def request(python, job, fds):
    """Sends `job` with `fds` to the server (started when there is none)
    and returns its JSON answer. A request still in the listen queue when
    the server leaves (idle) is reset, never run: it goes to a new one."""
    key = server_key(python, job.get("env") or os.environ)
    for attempt in (1, 2):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                conn.connect(NAME_PREFIX + key)
            except (ConnectionRefusedError, FileNotFoundError):
                start_server(python, key)
                conn.connect(NAME_PREFIX + key)
            if peer_uid(conn) != os.getuid():
                raise RuntimeError("torch_preload.py: the socket %s is another user's"
                                   % (NAME_PREFIX + key).lstrip("\0"))
            send_message(conn, job, fds)
            try:
                return recv_message(conn)[0]
            except EOFError:
                raise RuntimeError("torch_preload.py: the server died") from None
        except ConnectionResetError:
            if attempt == 2:
                raise
        finally:
            conn.close()


def run_streams(python, argv, fds, cwd=None, timeout=None):
    """The answer for `python3 argv...` run with standard streams fds."""
    job = {"argv": list(argv), "cwd": cwd or os.getcwd(), "env": dict(os.environ),
           "timeout": timeout}
    return request(python, job, fds)


def interpreter(python):
    """The interpreter `python` stands for: tests/preloaded_python (which a
    test may have made its NB_PYTHON) is its shebang's, the server's own."""
    shim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "preloaded_python")
    if os.path.realpath(python) == os.path.realpath(shim):
        with open(shim, encoding="utf-8") as f:
            return f.readline()[2:].split()[0]
    return python


class Preloaded:
    """The run's server for interpreter `python`; run() sends it one job and
    waits for its status."""

    def __init__(self, python=None):
        self.python = interpreter(python or os.environ.get("NB_PYTHON") or "/usr/bin/python3")
        answer = request(self.python, {"ping": True, "env": dict(os.environ)}, [])
        self.available = answer.get("ready", False)
        self.why = answer.get("why")

    def run(self, argv, cwd=None, timeout=None):
        """(exit status, stdout and stderr together) of `python3 argv...`;
        a job past `timeout` seconds is killed (status -14, SIGALRM)."""
        import tempfile
        with tempfile.NamedTemporaryFile(prefix="torch-preload-", suffix=".log") as log:
            status = self.run_to(argv, log.name, None, cwd, timeout)
            with open(log.name, encoding="utf-8", errors="replace") as f:
                return status, f.read()

    def run_to(self, argv, out, err, cwd=None, timeout=None):
        """The exit status of `python3 argv... <dev/null >out 2>err` (err
        None: 2>&1)."""
        opened = []
        try:
            for path, flags in ((os.devnull, os.O_RDONLY), (out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
                opened.append(os.open(path, flags, 0o644))
            if err:
                opened.append(os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
            streams = opened + ([] if err else [opened[1]])
            answer = run_streams(self.python, argv, streams, cwd, timeout)
        finally:
            for fd in opened:
                os.close(fd)
        self.last_cpu_s = answer["cpu_s"]  # the job's CPU time (user + system), for timing reports
        return answer["status"]

    def close(self):
        """Nothing to stop: the server is the run's, and leaves when idle."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv):
    if argv[:1] == ["--daemon"] and len(argv) == 3:
        return daemon(argv[1], int(argv[2]))
    if len(argv) < 3 or argv[0] != "--log-dir" or argv[2] != "--":
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        print("usage: torch_preload.py --log-dir DIR -- 'SCRIPT ARG...'...", file=sys.stderr)
        return 2
    import shlex
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
