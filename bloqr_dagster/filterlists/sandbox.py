"""Run one function in a locked-down child process (Linux kernel features, called from Python).

    result = run_sandboxed("bloqr_dagster.filterlists.isolated:transform", payload, workdir, limits,
                           read_only=[prefetched_file])

The parent starts `python -m bloqr_dagster.filterlists.sandbox WORKDIR` with an empty environment. The
child imports the target while it can still see the Python installation, then locks itself down
before it reads any input:

- new mount, PID, network, IPC and UTS namespaces (`unshare(2)`), plus a user namespace when not
  started as root; the child forks once so that it is PID 1 of its PID namespace;
- a private root (`pivot_root(2)`) on a read-only tmpfs holding only the Python library folders and
  the named input files (read-only) and WORKDIR (read-write); no /proc, /dev, /etc, /var or /tmp;
- rlimits: CPU, address space, file size, open files, processes (a fresh uid per sandbox, so the
  process limit counts only this sandbox), no core dumps;
- root is dropped to that uid (setgroups/setresgid/setresuid); without root, capabilities are dropped;
- a seccomp filter (no_new_privs) that refuses socket, socketpair, execve, fork/vfork/clone without
  thread flags, ptrace, process_vm_readv/writev, mount, unshare, setns, chroot, bpf, keyctl, ...

A feature the kernel refuses is skipped with a warning on the `bloqr_dagster.filterlists.sandbox`
logger (the child reports it, the parent logs it) and listed in the result's `_sandbox` entry.
The parent reads the child's output through O_NOFOLLOW and regular-file checks, so nothing the child
leaves in WORKDIR (a symlink, a FIFO) can make the parent read elsewhere.
"""

from __future__ import annotations

import ctypes
import errno
import importlib
import json
import logging
import os
import platform
import secrets
import signal
import stat
import struct
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bloqr_dagster.errors import BloqrError

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # bloqr_dagster/
REQUEST, INPUT, OUTPUT, STDERR, ROOT = "sandbox.request.json", "input.json", "output.json", "stderr.txt", ".root"
MAX_RESULT_BYTES = 64 * 1024**2
EXIT_STEP_ERROR = 2  # the function raised BloqrError: bad input, reported in the output file


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 300  # RLIMIT_CPU: the 5-minute compile budget
    memory_bytes: int = 2 * 1024**3  # RLIMIT_AS
    output_bytes: int = 1024**3  # RLIMIT_FSIZE: the largest file the child may write
    wall_seconds: float = 360.0  # the parent kills the child's process group after this
    max_processes: int = 4  # RLIMIT_NPROC for the sandbox's own uid: threads count too
    max_open_files: int = 256  # RLIMIT_NOFILE


DEFAULT_LIMITS = Limits()


class SandboxError(BloqrError):
    """The sandboxed function failed; the message says why in one line."""


# -- parent side --------------------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """Only what Python needs to start and import this package; nothing from the parent's env."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": str(PACKAGE_DIR.parent),
            "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}


def run_sandboxed(target: str, payload: dict[str, Any], workdir: Path, limits: Limits = DEFAULT_LIMITS, *,
                  read_only: Sequence[Path] = ()) -> dict[str, Any]:
    """Call `target` ("module:function", trusted code) with `payload` in a sandboxed child.

    The child sees `workdir` (read-write) and the files or folders in `read_only`; it returns the
    function's JSON result. Raises SandboxError with the function's own message when it raised
    BloqrError, and with the limit that stopped it otherwise.
    """
    workdir = Path(workdir).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    for name in (OUTPUT, STDERR):
        (workdir / name).unlink(missing_ok=True)
    request = {"target": target, "limits": asdict(limits), "read_only": [str(Path(p).absolute()) for p in read_only],
               "uid": 1_500_000_000 + secrets.randbelow(500_000_000)}
    (workdir / REQUEST).write_text(json.dumps(request), encoding="utf-8")
    (workdir / INPUT).write_text(json.dumps(payload), encoding="utf-8")
    command = [sys.executable, "-m", "bloqr_dagster.filterlists.sandbox", str(workdir)]
    with open(workdir / STDERR, "w+b") as err:
        proc = subprocess.Popen(command, env=child_env(), cwd=workdir, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            code = proc.wait(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise SandboxError(f"killed after {limits.wall_seconds:g} s") from None
        except BaseException:
            _kill_group(proc)
            raise
        _kill_group(proc)  # whatever the child left behind dies with it
        err.seek(0, os.SEEK_END)
        err.seek(max(0, err.tell() - 8192))
        stderr = err.read().decode("utf-8", "replace")
    _remove_root_mountpoint(workdir)
    for line in stderr.splitlines():
        if line.startswith("sandbox: "):
            log.warning("%s", line)
    result = _read_result(workdir)
    if code == 0 and isinstance(result, dict) and "error" not in result:
        return result
    raise SandboxError(_failure_reason(code, result, stderr, limits))


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _remove_root_mountpoint(workdir: Path) -> None:
    try:
        (workdir / ROOT).rmdir()
    except OSError:
        pass


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """Read a file the child may have tampered with: no symlink, no FIFO or device, bounded size."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, f"{path} is not a regular file")
        if info.st_size > max_bytes:
            raise OSError(errno.EFBIG, f"{path} is larger than {max_bytes} bytes")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(max_bytes + 1)[:max_bytes]
    finally:
        os.close(fd)


def _read_result(workdir: Path) -> Any:
    try:
        return json.loads(read_regular_file(workdir / OUTPUT, MAX_RESULT_BYTES))
    except (OSError, ValueError):
        return None


def _failure_reason(code: int, result: Any, stderr: str, limits: Limits) -> str:
    if isinstance(result, dict) and result.get("error"):
        return str(result["error"])
    if code in (-signal.SIGXCPU, -signal.SIGKILL, 128 + signal.SIGXCPU, 128 + signal.SIGKILL):
        return f"exceeded its CPU limit of {limits.cpu_seconds} s"
    if "MemoryError" in stderr:
        return f"exceeded its memory limit of {limits.memory_bytes // 1024**2} MiB"
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("sandbox: ")]
    return lines[-1] if lines else f"exit status {code}"


# -- kernel interfaces (x86_64 Linux; elsewhere the features degrade with a log line) -----------

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_THREAD = 0x10000000, 0x20000000, 0x40000000, 0x00010000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE, MNT_DETACH = 4096, 16384, 1 << 18, 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 4, 38, 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW = 0x80000000, 0x00050000, 0x7FFF0000
AUDIT_ARCH_X86_64 = 0xC000003E
X86_64_SYSCALLS = {
    "socket": 41, "socketpair": 53, "execve": 59, "execveat": 322, "fork": 57, "vfork": 58, "ptrace": 101,
    "process_vm_readv": 310, "process_vm_writev": 311, "unshare": 272, "setns": 308, "mount": 165,
    "umount2": 166, "pivot_root": 155, "chroot": 161, "bpf": 321, "perf_event_open": 298, "keyctl": 250,
    "add_key": 248, "request_key": 249, "kexec_load": 246, "kexec_file_load": 320, "init_module": 175,
    "finit_module": 313, "delete_module": 176, "open_by_handle_at": 304, "name_to_handle_at": 303,
    "userfaultfd": 323, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "mknod": 133,
    "mknodat": 259, "kcmp": 312, "pidfd_open": 434, "pidfd_getfd": 438, "open_tree": 428, "move_mount": 429,
    "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442, "setuid": 105,
    "setgid": 106, "setreuid": 113, "setregid": 114, "setresuid": 117, "setresgid": 119, "setgroups": 116,
}
SYS_CLONE, SYS_CLONE3, SYS_PIVOT_ROOT, SYS_CAPSET = 56, 435, 155, 126

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _bytes(text: str | None) -> bytes | None:
    return text.encode() if text is not None else None


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(_bytes(source), _bytes(target), _bytes(fstype), ctypes.c_ulong(flags), _bytes(data)),
           f"mount {target}")


def seccomp_program() -> bytes:
    """The BPF filter as bytes: deny the listed syscalls with EPERM, clone3 with ENOSYS (so the C
    library falls back to clone, whose flags can be inspected), clone without CLONE_THREAD with EPERM,
    x32 and foreign-architecture calls refused."""
    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    ld_abs, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    deny = SECCOMP_RET_ERRNO | errno.EPERM
    program = [op(ld_abs, 4), op(jeq, AUDIT_ARCH_X86_64, 1, 0), op(ret, SECCOMP_RET_KILL_PROCESS),
               op(ld_abs, 0), op(jge, 0x40000000, 0, 1), op(ret, deny)]
    for number in sorted(X86_64_SYSCALLS.values()):
        program += [op(jeq, number, 0, 1), op(ret, deny)]
    program += [op(jeq, SYS_CLONE3, 0, 1), op(ret, SECCOMP_RET_ERRNO | errno.ENOSYS),
                op(jeq, SYS_CLONE, 0, 3), op(ld_abs, 16), op(jset, CLONE_THREAD, 1, 0), op(ret, deny),
                op(ret, SECCOMP_RET_ALLOW)]
    return b"".join(program)


def _install_seccomp() -> None:
    code = seccomp_program()
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "seccomp")


def _drop_capabilities() -> None:
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable x 2: all empty
    _check(_libc.syscall(SYS_CAPSET, header, data), "capset")


# -- child side ---------------------------------------------------------------------------------

class _Lockdown:
    """Applies each layer in order and remembers what it could not apply."""

    def __init__(self, workdir: Path, read_only: list[str], limits: Limits, uid: int) -> None:
        self.workdir, self.read_only, self.limits, self.uid = workdir, read_only, limits, uid
        self.active: list[str] = []
        self.degraded: list[str] = []
        self.as_root = os.geteuid() == 0

    def degrade(self, feature: str, exc: BaseException) -> None:
        self.degraded.append(f"{feature}: {exc}")
        print(f"sandbox: {feature} unavailable ({exc}); continuing without it", file=sys.stderr, flush=True)

    def apply(self) -> None:
        x86_64 = platform.machine() == "x86_64"
        namespaces = self._namespaces() if x86_64 else False
        if not x86_64:
            self.degrade("namespaces and seccomp", OSError(f"architecture {platform.machine()} is not supported"))
        if namespaces:
            self._private_root()
        self._limits()
        self._drop_root()
        if x86_64:
            try:
                _install_seccomp()
                self.active.append("seccomp")
            except OSError as exc:
                self.degrade("seccomp filter", exc)

    def _namespaces(self) -> bool:
        flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
        if not self.as_root:
            flags |= CLONE_NEWUSER
        uid, gid = os.getuid(), os.getgid()
        try:
            _check(_libc.unshare(flags), "unshare")
        except OSError as exc:
            self.degrade("namespaces (mount, pid, network, ipc, uts)", exc)
            return False
        if not self.as_root:
            Path("/proc/self/setgroups").write_text("deny")
            Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
            Path("/proc/self/gid_map").write_text(f"0 {gid} 1")
        self.active.append("namespaces")
        self._become_pid_one()
        return True

    @staticmethod
    def _become_pid_one() -> None:
        """Fork into the new PID namespace; this process only waits and passes the exit status on."""
        pid = os.fork()
        if pid == 0:
            # Dies with the waiter; both are in the process group the parent kills at the deadline.
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            return
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
        os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))

    def _private_root(self) -> None:
        root = self.workdir / ROOT
        try:
            _mount(None, "/", None, MS_REC | MS_PRIVATE)
            root.mkdir(exist_ok=True)
            _mount("tmpfs", str(root), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
            for path in _python_folders():
                self._bind(root, path, writable=False)
            for path in self.read_only:
                self._bind(root, path, writable=False)
            self._bind(root, str(self.workdir), writable=True)
            os.chdir(root)
            _check(_libc.syscall(SYS_PIVOT_ROOT, b".", b"."), "pivot_root")
            _check(_libc.umount2(b".", MNT_DETACH), "umount old root")
            os.chdir("/")
            _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
            os.chdir(self.workdir)
            self.active.append("private root")
        except OSError as exc:
            self.degrade("private root (pivot_root)", exc)

    @staticmethod
    def _bind(root: Path, source: str, *, writable: bool) -> None:
        if not os.path.exists(source):
            return
        target = str(root) + source
        if os.path.isdir(source):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            Path(target).touch()
        _mount(source, target, None, MS_BIND)
        flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (MS_NOEXEC if writable else MS_RDONLY)
        _mount(None, target, None, flags)

    def _limits(self) -> None:
        import resource

        limits = self.limits
        for kind, value in ((resource.RLIMIT_CPU, limits.cpu_seconds), (resource.RLIMIT_AS, limits.memory_bytes),
                            (resource.RLIMIT_FSIZE, limits.output_bytes), (resource.RLIMIT_CORE, 0),
                            (resource.RLIMIT_NOFILE, limits.max_open_files),
                            (resource.RLIMIT_NPROC, limits.max_processes)):
            hard = value + 5 if kind == resource.RLIMIT_CPU else value  # SIGXCPU first, SIGKILL later
            resource.setrlimit(kind, (value, hard))
        self.active.append("rlimits")

    def _drop_root(self) -> None:
        if self.as_root:
            os.chown(self.workdir, self.uid, self.uid)
            os.setgroups([])
            os.setresgid(self.uid, self.uid, self.uid)
            os.setresuid(self.uid, self.uid, self.uid)
            self.active.append(f"uid {self.uid}")
        elif "namespaces" in self.active:
            try:
                _drop_capabilities()
            except OSError as exc:
                self.degrade("dropping capabilities", exc)
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _python_folders() -> list[str]:
    """Where the interpreter finds modules: the standard library, site-packages and this package."""
    paths = sysconfig.get_paths()
    folders = {os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    folders.add(str(PACKAGE_DIR))
    ordered = sorted(folders)
    return [f for f in ordered if not any(f != o and f.startswith(o + os.sep) for o in ordered)]


# Imported before the lockdown, so that no extension module has to be loaded from a shared library
# the private root does not hold.
PRELOAD = ("json", "hashlib", "gzip", "zlib", "unicodedata", "encodings.idna", "encodings.utf_8_sig",
           "encodings.punycode", "encodings.latin_1", "idna", "resource", "threading")


def _preload_unwinder() -> None:
    """glibc loads libgcc_s with dlopen the first time a thread exits or is cancelled; inside the
    private root that library is not there and the process aborts. Load it while it still is."""
    try:
        ctypes.CDLL("libgcc_s.so.1")
    except OSError:  # a libc without a separate unwinder (e.g. musl) needs nothing
        pass


def _child_main(workdir: Path) -> int:
    request = json.loads((workdir / REQUEST).read_text(encoding="utf-8"))
    module_name, _, function_name = request["target"].partition(":")
    for name in PRELOAD:
        importlib.import_module(name)
    _preload_unwinder()
    function = getattr(importlib.import_module(module_name), function_name)
    lockdown = _Lockdown(workdir, request["read_only"], Limits(**request["limits"]), int(request["uid"]))
    lockdown.apply()
    code = 0
    try:
        result = function(json.loads((workdir / INPUT).read_text(encoding="utf-8")))
    except BloqrError as exc:
        result, code = {"error": str(exc)}, EXIT_STEP_ERROR
    except MemoryError:
        result, code = {"error": f"exceeded its memory limit of {lockdown.limits.memory_bytes // 1024**2} MiB"}, \
            EXIT_STEP_ERROR
    except OSError as exc:
        if exc.errno != errno.EFBIG:  # RLIMIT_FSIZE (Python ignores SIGXFSZ, so the write fails)
            raise
        result, code = {"error": f"exceeded its file size limit of {lockdown.limits.output_bytes // 1024**2} MiB"}, \
            EXIT_STEP_ERROR
    if isinstance(result, dict):
        result["_sandbox"] = {"active": lockdown.active, "degraded": lockdown.degraded}
    (workdir / OUTPUT).write_text(json.dumps(result), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(_child_main(Path(sys.argv[1])))
