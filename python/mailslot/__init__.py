# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""mailslot: Windows-style mailslots and signaled process objects for Linux.

A pure-Python interface to the mailslot kernel module, talking to it
through fcntl.ioctl() and struct on the structures of
<linux/mailslot.h>; see mailslot(7) for the model.

    import mailslot
    with mailslot.create("jobs") as server, mailslot.open("jobs") as w:
        w.send(b"hello")
        msg = server.recv()          # msg.data == b"hello", msg.pid, msg.uid ...

Timeouts are seconds (int or float): None waits forever, 0 never waits.
Every failing call raises OSError with the errno the kernel gave, so the
usual subclasses apply: FileNotFoundError, FileExistsError,
PermissionError, BlockingIOError (EAGAIN), TimeoutError (ETIMEDOUT),
BrokenPipeError (EPIPE), ProcessLookupError (ESRCH), InterruptedError is
never seen (calls are retried after a signal, as PEP 475 does), and
MessageSizeError (EMSGSIZE on receive; it tells the size needed).
"""

import array
import collections
import errno
import fcntl
import os
import select
import signal
import struct
import termios
import time

from . import _uapi as _u
from ._uapi import (  # the public constants
    DEV_DIR, CONTROL_PATH, NAME_MAX, WAIT_MAX,
    DEFAULT_MAX_MSG_SIZE, DEFAULT_MAX_MSGS, DEFAULT_MAX_BYTES, DEFAULT_MODE,
    MAX_MSGS_LIMIT, MAX_BYTES_LIMIT,
    OVERFLOW_BLOCK, OVERFLOW_FAIL, OVERFLOW_DROP,
    INFO_READER, INFO_WRITER, INFO_SERVER, INFO_CLOSED,
    record_size,
)

__version__ = "0.2.0"

__all__ = [
    "create", "open", "proc_open", "proc_open_pidfd", "wait_one",
    "wait_many", "Slot", "Process", "Message", "Batch", "Info", "ProcExit",
    "MessageSizeError", "HANDLE_TIMEOUT", "OVERFLOW_BLOCK", "OVERFLOW_FAIL",
    "OVERFLOW_DROP", "WAIT_MAX", "NAME_MAX", "record_size", "DEV_DIR",
    "CONTROL_PATH", "DEFAULT_MAX_MSG_SIZE", "DEFAULT_MAX_MSGS",
    "DEFAULT_MAX_BYTES", "DEFAULT_MODE", "MAX_MSGS_LIMIT", "MAX_BYTES_LIMIT",
    "INFO_READER", "INFO_WRITER", "INFO_SERVER", "INFO_CLOSED",
]

_builtin_open = open


class _HandleTimeout:
    """The handle's own read timeout (set at creation or by set_timeout)."""

    def __repr__(self):
        return "mailslot.HANDLE_TIMEOUT"


#: recv()/recv_batch() timeout: wait as read(2) does, by the handle's timeout.
HANDLE_TIMEOUT = _HandleTimeout()


class MessageSizeError(OSError):
    """EMSGSIZE on receive: the buffer is smaller than the next message.

    The message stays queued; ``size`` is the buffer size it needs (for
    recv() the payload size, for recv_batch() the first record's size).
    """

    def __init__(self, size, filename=None):
        super().__init__(errno.EMSGSIZE, os.strerror(errno.EMSGSIZE), filename)
        self.size = size


def _oserror(err, filename=None):
    # OSError(errno, ...) returns the subclass the errno maps to.
    return OSError(err, os.strerror(err), filename)


def _timeout_ns(timeout):
    """Seconds (None = forever) to the module's nanoseconds."""
    if timeout is None:
        return _u.TIMEOUT_INFINITE
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a number of seconds or None")
    if timeout != timeout or timeout < 0:
        raise _oserror(errno.EINVAL)
    ns = int(round(timeout * 1_000_000_000))
    if ns >= _u.TIMEOUT_INFINITE:
        raise _oserror(errno.EINVAL)
    return ns


def _from_ns(ns):
    return None if ns == _u.TIMEOUT_INFINITE else ns / 1_000_000_000


def _now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def _ioctl(fd, request, buf):
    """ioctl with a mutable buffer (the GIL is released meanwhile): retried
    after a signal whose handler did not raise, as PEP 475 does."""
    while True:
        try:
            return fcntl.ioctl(fd, request, buf, True)
        except InterruptedError:
            continue


def _control_ioctl(request, buf):
    fd = os.open(_u.CONTROL_PATH, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return _ioctl(fd, request, buf)
    finally:
        os.close(fd)


def _address(arr):
    return arr.buffer_info()[0]


def _fd_of(obj):
    if isinstance(obj, int) and not isinstance(obj, bool):
        return obj
    try:
        fileno = obj.fileno
    except AttributeError:
        raise TypeError("%r is neither an fd nor has fileno()" % (obj,)) from None
    return fileno()


def _slot_name(name):
    """Accept "NAME" and "/dev/mailslot/NAME" (str or bytes)."""
    if isinstance(name, str):
        name = os.fsencode(name)
    elif not isinstance(name, (bytes, bytearray)):
        raise TypeError("slot name must be str or bytes")
    name = bytes(name)
    prefix = _u.DEV_DIR.encode() + b"/"
    if name.startswith(prefix):
        name = name[len(prefix):]
    if not name or b"\0" in name:
        raise _oserror(errno.EINVAL, name)
    if len(name) > _u.NAME_MAX:
        raise _oserror(errno.ENAMETOOLONG, name)
    return name


class _Handle:
    """An fd of the module's: closed by close(), by a with block or when
    garbage-collected."""

    _fd = -1

    def __init__(self, fd):
        self._fd = fd

    def fileno(self):
        """The file descriptor (for selectors, poll, os functions)."""
        if self._fd < 0:
            raise ValueError("I/O operation on closed handle")
        return self._fd

    @property
    def closed(self):
        return self._fd < 0

    def close(self):
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def detach(self):
        """Give up the fd without closing it and return it."""
        fd, self._fd = self.fileno(), -1
        return fd

    def set_blocking(self, blocking):
        """Set or clear O_NONBLOCK on the fd."""
        os.set_blocking(self.fileno(), blocking)

    def __enter__(self):
        self.fileno()
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


_MSG_FIELDS = ("seq", "time_ns", "pid", "uid", "gid", "size", "info_size", "flags")


class Message(collections.namedtuple("Message", ("data",) + _MSG_FIELDS)):
    """One received message and its metadata (struct mailslot_msg_info):

    data       the payload (bytes)
    seq        per-slot sequence number, 1 for the first message sent
    time_ns    CLOCK_MONOTONIC time it was queued (time.clock_gettime_ns)
    pid        the writer's process id in our pid namespace (0: not visible)
    uid, gid   effective ids of the process that opened the writing handle
    size       payload size in bytes
    info_size  the kernel's sizeof(struct mailslot_msg_info) (72)
    flags      which later metadata is set (0)
    """

    __slots__ = ()


def _message(info_bytes, data):
    v = _u.MSG_INFO.unpack(info_bytes)
    return Message(data, *v[:8])


class Info(collections.namedtuple("Info", (
        "read_timeout", "msgs", "bytes", "drops", "sent", "max_msg_size",
        "next_size", "max_msgs", "max_bytes", "readers", "writers",
        "overflow", "flags"))):
    """GetMailslotInfo (struct mailslot_info) of a handle:

    read_timeout  this handle's read timeout in seconds, None = forever
    msgs, bytes   messages and payload bytes queued for this reader
    drops         messages this reader lost to overflow drop
    sent          messages sent to the slot since it was created
    max_msg_size  largest message
    next_size     size of the next message, None when none is queued
    max_msgs, max_bytes  per-reader queue depth
    readers       readers of the slot, the server included
    writers       open writer handles
    overflow      OVERFLOW_BLOCK, OVERFLOW_FAIL or OVERFLOW_DROP
    flags         INFO_READER | INFO_WRITER | INFO_SERVER | INFO_CLOSED
    Reader fields (next_size too) are 0 on a write-only handle.
    """

    __slots__ = ()

    @property
    def is_reader(self):
        return bool(self.flags & _u.INFO_READER)

    @property
    def is_writer(self):
        return bool(self.flags & _u.INFO_WRITER)

    @property
    def is_server(self):
        return bool(self.flags & _u.INFO_SERVER)

    @property
    def server_closed(self):
        return bool(self.flags & _u.INFO_CLOSED)


class Batch:
    """The messages of one recv_batch() call, as an iterator of Message.

    len() is the number of messages taken; ``nbytes`` the bytes of the
    buffer they used.  Iterating consumes the batch once.
    """

    def __init__(self, buf, nbytes, count):
        self._view = memoryview(buf)[:nbytes].cast("B")
        self.nbytes = nbytes
        self._count = count
        self._off = 0
        self._left = count

    def __len__(self):
        return self._count

    def __iter__(self):
        return self

    def __next__(self):
        if not self._left:
            raise StopIteration
        off, head = self._off, _u.MSG_INFO.size
        if off + head > self.nbytes:
            raise _oserror(errno.EIO)
        info = self._view[off:off + head]
        size = _u.MSG_INFO.unpack_from(info)[5]
        if size > self.nbytes - off - head:
            raise _oserror(errno.EIO)
        msg = _message(info, self._view[off + head:off + head + size].tobytes())
        self._off = off + _u.record_size(size)
        self._left -= 1
        return msg


class Slot(_Handle):
    """A slot handle: the server (from create()), a listener, a writer or
    both (from open()).  Iterating over a reader receives messages until
    the server has closed the slot."""

    def __init__(self, fd, name=None):
        super().__init__(fd)
        self.name = name
        self._max_msg_size = None

    def __repr__(self):
        state = "closed" if self.closed else "fd=%d" % self._fd
        return "<mailslot.Slot %r %s>" % (self.name, state)

    # -- sending --------------------------------------------------------
    def send(self, data):
        """Send one message (bytes-like, possibly empty); returns its size."""
        return os.write(self.fileno(), data)

    def sendv(self, buffers):
        """Send the concatenation of buffers as one message (writev)."""
        buffers = list(buffers)
        if not sum(len(memoryview(b).cast("B")) for b in buffers):
            # The VFS returns early from a writev of 0 bytes.
            return os.write(self.fileno(), b"")
        return os.writev(self.fileno(), buffers)

    # -- receiving ------------------------------------------------------
    def _wait_readable(self, timeout):
        """poll(2) for input, as libmailslot does before an explicit-timeout
        receive: EAGAIN for 0, ETIMEDOUT after a longer timeout."""
        fd = self.fileno()
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
            raise _oserror(errno.EBADF)
        ns = _timeout_ns(timeout)
        p = select.poll()
        p.register(fd, select.POLLIN)
        if ns == _u.TIMEOUT_INFINITE:
            ev = p.poll()
        else:
            # poll() counts milliseconds: round up, never wait less.
            ev = p.poll(-(-ns // 1_000_000))
        if not ev:
            raise _oserror(errno.EAGAIN if ns == 0 else errno.ETIMEDOUT)
        if ev[0][1] & select.POLLNVAL:
            raise _oserror(errno.EBADF)

    def _bufsize(self):
        if self._max_msg_size is None:
            self._max_msg_size = self.info().max_msg_size
        return self._max_msg_size

    def recv(self, bufsize=None, timeout=HANDLE_TIMEOUT):
        """Receive one whole message with its metadata (a Message).

        bufsize: the largest payload to accept (default: the slot's largest
        message); a bigger next message raises MessageSizeError and stays
        queued.  timeout: HANDLE_TIMEOUT (the handle's read timeout, as
        read(2)), None (forever), 0 (BlockingIOError when empty) or seconds
        (TimeoutError).  After the server has closed and the queue is
        drained: BrokenPipeError.
        """
        if bufsize is None:
            bufsize = self._bufsize()
        if bufsize < 0:
            raise _oserror(errno.EINVAL)
        if timeout is not HANDLE_TIMEOUT:
            self._wait_readable(timeout)
        buf = array.array("B", bytes(bufsize))
        arg = bytearray(_u.RECV_HEAD.pack(_address(buf), min(bufsize, 0xFFFFFFFF),
                                          0, 0, 0) + bytes(_u.MSG_INFO.size))
        try:
            n = _ioctl(self.fileno(), _u.IOC_RECV, arg)
        except OSError as e:
            if e.errno == errno.EMSGSIZE:
                size = _u.MSG_INFO.unpack_from(arg, _u.RECV_HEAD.size)[5]
                raise MessageSizeError(size, self.name) from None
            raise
        info = bytes(arg[_u.RECV_HEAD.size:])
        if n == 0 and _u.MSG_INFO.unpack(info)[0] == 0:
            # End of file (sequence numbers start at 1): the server closed.
            raise _oserror(errno.EPIPE, self.name)
        return _message(info, buf[:n].tobytes())

    def recv_batch(self, max_msgs=64, bufsize=None, timeout=HANDLE_TIMEOUT):
        """Receive up to max_msgs queued messages in one call: waits like
        recv() for the first, then takes every further one that fits.

        Returns a Batch (an iterator of Message, with len()).  bufsize: the
        buffer for the records (default: room for max_msgs of the largest
        size, at most 1 MiB, at least one record of the largest size); a
        first record larger than it raises MessageSizeError.
        """
        if not 1 <= max_msgs <= _u.MAX_MSGS_LIMIT:
            raise _oserror(errno.EINVAL)
        if bufsize is None:
            one = _u.record_size(self._bufsize())
            bufsize = max(one, min(max_msgs * one, 1 << 20))
        if bufsize < 0:
            raise _oserror(errno.EINVAL)
        if timeout is not HANDLE_TIMEOUT:
            self._wait_readable(timeout)
        buf = array.array("B", bytes(bufsize))
        arg = bytearray(_u.RECV_BATCH.pack(_address(buf), bufsize, max_msgs,
                                           0, 0, 0, 0))
        try:
            n = _ioctl(self.fileno(), _u.IOC_RECV_BATCH, arg)
        except OSError as e:
            if e.errno == errno.EMSGSIZE:
                raise MessageSizeError(_u.RECV_BATCH.unpack(arg)[4],
                                       self.name) from None
            raise
        if n == 0:
            raise _oserror(errno.EPIPE, self.name)
        return Batch(buf, _u.RECV_BATCH.unpack(arg)[4], n)

    def __iter__(self):
        while True:
            try:
                yield self.recv()
            except BrokenPipeError:
                return

    # -- GetMailslotInfo / SetMailslotInfo ------------------------------
    def info(self):
        """The handle's and the slot's figures (an Info)."""
        arg = bytearray(_u.INFO.size)
        _ioctl(self.fileno(), _u.IOC_GET_INFO, arg)
        v = _u.INFO.unpack(arg)
        return Info(_from_ns(v[0]), v[1], v[2], v[3], v[4], v[5],
                    None if v[6] == _u.NO_MESSAGE else v[6], *v[7:13])

    def set_timeout(self, timeout):
        """This handle's read timeout: seconds, 0 (never wait), None (forever)."""
        arg = bytearray(struct.pack("=Q", _timeout_ns(timeout)))
        _ioctl(self.fileno(), _u.IOC_SET_TIMEOUT, arg)

    def pending(self):
        """FIONREAD: size of the next message, 0 when none is queued."""
        arg = bytearray(4)
        _ioctl(self.fileno(), termios.FIONREAD, arg)
        return struct.unpack("=i", arg)[0]


def create(name, *, timeout=None, mode=0, max_msg_size=0, max_msgs=0,
           max_bytes=0, overflow=OVERFLOW_BLOCK, nonblock=False,
           listener_drop=False):
    """CreateMailslot: create the slot NAME and return its server Slot.

    The node /dev/mailslot/NAME exists until the server is closed.  0 for
    mode and the limits means the module's default (0600, 64 KiB, 256
    messages, 1 MiB); timeout is every handle's initial read timeout.
    overflow: what a send does when a reader's queue is full.  nonblock:
    the server fd is O_NONBLOCK.  listener_drop: the overflow policy
    applies to the server's queue only, full listeners lose their oldest.
    EEXIST (FileExistsError) when the name is taken.
    """
    raw = _slot_name(name)
    cname = array.array("B", raw + b"\0")
    flags = ((_u.CREATE_NONBLOCK if nonblock else 0) |
             (_u.CREATE_LISTENER_DROP if listener_drop else 0))
    if overflow < 0:
        raise _oserror(errno.EINVAL)
    arg = bytearray(_u.CREATE.pack(_address(cname), _timeout_ns(timeout), mode,
                                   max_msg_size, max_msgs, max_bytes, overflow,
                                   flags, 0, 0))
    try:
        fd = _control_ioctl(_u.IOC_CREATE, arg)
    except OSError as e:
        raise _oserror(e.errno, os.fsdecode(raw)) from None
    return Slot(fd, os.fsdecode(raw))


_MODES = {"r": os.O_RDONLY, "w": os.O_WRONLY, "rw": os.O_RDWR}


def open(name, mode="w", *, nonblock=False):  # noqa: A001 (mailslot.open)
    """CreateFile on a slot: "w" a writer, "r" a listener (a reader with
    its own queue, receiving what is sent after it opened), "rw" both."""
    raw = _slot_name(name)
    try:
        flags = _MODES[mode]
    except KeyError:
        raise ValueError("mode must be 'r', 'w' or 'rw'") from None
    if raw == b"control":
        raise _oserror(errno.EINVAL, os.fsdecode(raw))
    if nonblock:
        flags |= os.O_NONBLOCK
    path = _u.DEV_DIR.encode() + b"/" + raw
    fd = os.open(path, flags | os.O_CLOEXEC | os.O_NOCTTY)
    return Slot(fd, os.fsdecode(raw))


# -- process objects ----------------------------------------------------


class ProcExit(collections.namedtuple("ProcExit",
                                      ("exit_time_ns", "pid", "status", "comm"))):
    """What a process object yields once its process has exited:

    exit_time_ns  CLOCK_MONOTONIC time the exit was seen
    pid           the process id in our pid namespace (0: not visible)
    status        exit status in wait(2) encoding (os.WIFEXITED ...)
    comm          the process's command name
    returncode    as subprocess: the exit code, or -N for signal N
    """

    __slots__ = ()

    @property
    def returncode(self):
        return os.waitstatus_to_exitcode(self.status)


class Process(_Handle):
    """A process object (OpenProcess): signaled once the process has
    exited, for good; readable by poll/select/selectors then."""

    def __init__(self, fd, pid=None):
        super().__init__(fd)
        self.pid = pid

    def __repr__(self):
        state = "closed" if self.closed else "fd=%d" % self._fd
        return "<mailslot.Process pid=%r %s>" % (self.pid, state)

    def _read(self):
        while True:
            try:
                data = os.read(self.fileno(), _u.PROC_EXIT.size)
                break
            except InterruptedError:
                continue
        if len(data) != _u.PROC_EXIT.size:
            raise _oserror(errno.EIO)
        t, pid, status, comm, _r0, _r1 = _u.PROC_EXIT.unpack(data)
        return ProcExit(t, pid, status,
                        os.fsdecode(comm.split(b"\0", 1)[0]))

    def status(self):
        """GetExitCodeProcess: the ProcExit, or None while it runs."""
        p = select.poll()
        p.register(self.fileno(), select.POLLIN)
        ev = p.poll(0)
        if ev and ev[0][1] & select.POLLNVAL:
            raise _oserror(errno.EBADF)
        if not ev or not ev[0][1] & select.POLLIN:
            return None
        return self._read()

    def wait(self, timeout=None):
        """WaitForSingleObject, then the ProcExit; TimeoutError on expiry."""
        wait_one(self, timeout)
        return self._read()


def proc_open(pid, *, nonblock=False):
    """OpenProcess: a Process for pid.  ESRCH (ProcessLookupError) when
    there is none, EINVAL for a thread that is not a group leader, EPERM
    when we may not read its state (mailslot(7))."""
    if isinstance(pid, bool) or not isinstance(pid, int):
        raise TypeError("pid must be an int")
    if pid <= 0 or pid > 0x7FFFFFFF:
        raise _oserror(errno.EINVAL)
    arg = bytearray(_u.PROC_OPEN.pack(pid, _u.PROC_NONBLOCK if nonblock else 0, 0))
    return Process(_control_ioctl(_u.IOC_PROC_OPEN, arg), pid)


def _pidfd_pid_ioctl(fd):
    """PIDFD_GET_INFO (6.13+): the number in our pid namespace; None when
    the kernel has no such ioctl."""
    arg = bytearray(_u.PIDFD_INFO.pack(_u.PIDFD_INFO_PID, *([0] * 13)))
    try:
        fcntl.ioctl(fd, _u.PIDFD_GET_INFO, arg, True)
    except OSError as e:
        if e.errno in (errno.ENOTTY, errno.EINVAL):   # before 6.13
            return None
        raise                                         # ESRCH: reaped
    v = _u.PIDFD_INFO.unpack(arg)
    if not v[0] & _u.PIDFD_INFO_PID:
        return None
    if not 0 < v[2] <= 0x7FFFFFFF:
        raise _oserror(errno.ESRCH)   # not visible in our pid namespace
    return v[2]


def _proc_is_our_pidns():
    # /proc numbers are its mount's namespace's: ours when NSpid shows one.
    try:
        with _builtin_open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"NSpid:"):
                    return len(line.split()) == 2
    except OSError:
        pass
    return False


def _pidfd_pid_fdinfo(fd):
    try:
        with _builtin_open("/proc/self/fdinfo/%d" % fd, "rb") as f:
            for line in f:
                if line.startswith(b"Pid:"):
                    v = int(line.split()[1])
                    if v <= 0:
                        raise _oserror(errno.ESRCH)  # -1 reaped, 0 invisible
                    return v
    except (OSError, ValueError) as e:
        if isinstance(e, OSError) and e.errno == errno.ESRCH:
            raise
    raise _oserror(errno.EINVAL)


def proc_open_pidfd(pidfd, *, nonblock=False):
    """A Process for the process of a pidfd (os.pidfd_open), never for a
    later owner of its number: the number is read (PIDFD_GET_INFO on 6.13+,
    else the pidfd's fdinfo), opened, and read again; still the same proves
    the process was not reaped in between.  A zombie gives an object that
    is signaled from the start; a reaped process is ESRCH; a file that is
    not a pidfd EINVAL."""
    fd = _fd_of(pidfd)
    if fd < 0:
        raise _oserror(errno.EBADF)
    os.fstat(fd)   # EBADF for a closed fd
    # pidfd_send_signal with signal 0 sends nothing and fails with EBADF
    # on any file that is not a pidfd: PIDFD_GET_INFO is asked of pidfds
    # only, never of another driver's file.
    try:
        signal.pidfd_send_signal(fd, 0)
        is_pidfd = True
    except OSError as e:
        is_pidfd = e.errno != errno.EBADF
    if not is_pidfd:
        raise _oserror(errno.EINVAL)
    use_ioctl = True
    pid = _pidfd_pid_ioctl(fd)
    if pid is None:
        use_ioctl = False
        if not _proc_is_our_pidns():
            raise _oserror(errno.EOPNOTSUPP)
        pid = _pidfd_pid_fdinfo(fd)
    proc = None
    err = None
    try:
        proc = proc_open(pid, nonblock=nonblock)
    except OSError as e:
        err = e
    # The proof, also when the open failed: a process reaped since the
    # first look is ESRCH, whatever the number's new owner gave.
    try:
        again = _pidfd_pid_ioctl(fd) if use_ioctl else _pidfd_pid_fdinfo(fd)
        if again != pid:
            raise _oserror(errno.ESRCH)
    except OSError:
        if proc is not None:
            proc.close()
        raise
    if err is not None:
        raise err
    return proc


# -- waits --------------------------------------------------------------


def wait_many(objects, timeout=None, *, all=False):  # noqa: A002
    """WaitForMultipleObjects over 1..64 objects: Process, reader Slot,
    or any pollable fd or file (pidfds in particular), mixed.

    Wait-any (default) returns the index of the lowest signaled object;
    all=True waits until all are signaled at one moment and returns None.
    Waiting consumes nothing.  TimeoutError on expiry (also for timeout 0
    when nothing is signaled); EINVAL for duplicates and unwaitable files,
    EBADF for a bad fd.  A signal whose handler returns does not end the
    wait early: it goes on to the same deadline.
    """
    fds = array.array("i", (_fd_of(o) for o in objects))
    flags = _u.WAIT_ALL if all else 0
    ns = _timeout_ns(timeout)
    if ns not in (0, _u.TIMEOUT_INFINITE):
        # An absolute deadline survives the retry after a signal.
        ns += _now_ns()
        flags |= _u.WAIT_ABSOLUTE
    addr = _address(fds) if len(fds) else 0
    arg = bytearray(_u.WAIT.pack(ns, addr, len(fds), flags, 0, 0))
    _control_ioctl(_u.IOC_WAIT, arg)
    return None if all else _u.WAIT.unpack(arg)[4]


def wait_one(obj, timeout=None):
    """WaitForSingleObject: return once obj is signaled; TimeoutError on
    expiry."""
    wait_many((obj,), timeout)
