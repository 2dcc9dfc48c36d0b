# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""Process objects and waits from Python: proc_open, pidfds, wait_one,
wait_many (any/all, timeouts, mixed objects)."""

import errno
import os
import selectors
import signal
import threading
import time

import pytest

import mailslot


def comm_of_self():
    with open("/proc/self/comm") as f:
        return f.read().rstrip("\n")


def test_process_object_signals_at_exit(child):
    c = child()
    with mailslot.proc_open(c.pid) as p:
        assert p.pid == c.pid
        assert p.status() is None
        t0 = time.monotonic()
        with pytest.raises(TimeoutError) as e:
            p.wait(0.2)
        assert e.value.errno == errno.ETIMEDOUT
        assert time.monotonic() - t0 >= 0.2
        before = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        c.release(7)
        ex = p.wait(10)
        assert isinstance(ex, mailslot.ProcExit)
        assert ex.pid == c.pid
        assert ex.status == 7 << 8
        assert os.WIFEXITED(ex.status) and os.WEXITSTATUS(ex.status) == 7
        assert ex.returncode == 7
        assert ex.comm == comm_of_self()
        assert ex.exit_time_ns >= before
        # Signaled for good: every look gives the same, reaped or not.
        assert p.status() == ex
        assert c.reap() == 7 << 8
        assert p.status() == ex
        assert p.wait(0) == ex


def test_killed_process_status(child):
    c = child()
    with mailslot.proc_open(c.pid) as p:
        os.kill(c.pid, signal.SIGKILL)
        ex = p.wait()
        assert os.WIFSIGNALED(ex.status)
        assert os.WTERMSIG(ex.status) == signal.SIGKILL
        assert ex.status & 0x80 == 0      # no core dump
        assert ex.returncode == -signal.SIGKILL


def test_blocking_wait_blocks_and_wakes(child):
    c = child()
    with mailslot.proc_open(c.pid) as p:
        got = []
        t = threading.Thread(target=lambda: got.append(p.wait()))
        t.start()
        t.join(0.3)
        assert t.is_alive() and got == []
        c.release(3)
        t.join(10)
        assert not t.is_alive()
        assert [g.returncode for g in got] == [3]


def test_proc_open_errors(child):
    c = child()
    c.kill()                  # reaped: the number names nobody now
    with pytest.raises(ProcessLookupError) as e:
        mailslot.proc_open(c.pid)
    assert e.value.errno == errno.ESRCH
    for bad in (0, -1):
        with pytest.raises(OSError) as e:
            mailslot.proc_open(bad)
        assert e.value.errno == errno.EINVAL
    with pytest.raises(TypeError):
        mailslot.proc_open("1")

    # A thread id that is not a thread-group leader: EINVAL.
    tid = []
    go = threading.Event()
    t = threading.Thread(target=lambda: (tid.append(threading.get_native_id()), go.wait()))
    t.start()
    try:
        while not tid:
            time.sleep(0.01)
        with pytest.raises(OSError) as e:
            mailslot.proc_open(tid[0])
        assert e.value.errno == errno.EINVAL
    finally:
        go.set()
        t.join()


def test_proc_open_of_a_process_we_may_not_read_is_eperm():
    # A child that drops to uid 1000 asks for init (root): EPERM.
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgroups([])
            os.setresgid(1000, 1000, 1000)
            os.setresuid(1000, 1000, 1000)
            try:
                mailslot.proc_open(1)
                code = 2
            except PermissionError as e:
                code = 0 if e.errno == errno.EPERM else 3
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0


def test_nonblocking_object_read(child):
    c = child()
    with mailslot.proc_open(c.pid, nonblock=True) as p:
        with pytest.raises(BlockingIOError):
            os.read(p.fileno(), 48)
        c.release(0)
        assert p.wait().returncode == 0


def test_pidfd_gives_the_pidfds_process(child):
    c = child()
    pidfd = os.pidfd_open(c.pid)
    try:
        with mailslot.proc_open_pidfd(pidfd) as p:
            assert p.pid == c.pid
            assert p.status() is None
            c.release(5)
            assert p.wait(10).returncode == 5
        # A zombie still holds its number: signaled from the start.
        with mailslot.proc_open_pidfd(pidfd) as p:
            assert p.status().returncode == 5
        c.reap()
        # Reaped: the pidfd's process is gone for good.
        with pytest.raises(ProcessLookupError):
            mailslot.proc_open_pidfd(pidfd)
    finally:
        os.close(pidfd)


def test_pidfd_errors():
    r, w = os.pipe()
    try:
        with pytest.raises(OSError) as e:
            mailslot.proc_open_pidfd(r)
        assert e.value.errno == errno.EINVAL
    finally:
        os.close(r)
        os.close(w)
    with pytest.raises(OSError) as e:
        mailslot.proc_open_pidfd(r)
    assert e.value.errno == errno.EBADF
    with pytest.raises(OSError) as e:
        mailslot.proc_open_pidfd(-1)
    assert e.value.errno == errno.EBADF


def test_wait_many_any_gives_the_lowest_signaled(child):
    a, b, c = child(), child(), child()
    with mailslot.proc_open(a.pid) as pa, mailslot.proc_open(b.pid) as pb, \
            mailslot.proc_open(c.pid) as pc:
        objs = [pa, pb, pc]
        with pytest.raises(TimeoutError):
            mailslot.wait_many(objs, 0)
        b.release(0)
        assert mailslot.wait_many(objs, 10) == 1
        assert mailslot.wait_many(objs) == 1      # waiting consumes nothing
        c.release(0)
        pc.wait(10)
        assert mailslot.wait_many(objs) == 1
        a.release(0)
        pa.wait(10)
        assert mailslot.wait_many(objs) == 0


def test_wait_many_all(child):
    a, b = child(), child()
    with mailslot.proc_open(a.pid) as pa, mailslot.proc_open(b.pid) as pb:
        a.release(0)
        pa.wait(10)
        t0 = time.monotonic()
        with pytest.raises(TimeoutError):
            mailslot.wait_many([pa, pb], 0.2, all=True)
        assert time.monotonic() - t0 >= 0.2
        done = []
        t = threading.Thread(target=lambda: done.append(mailslot.wait_many([pa, pb], all=True)))
        t.start()
        t.join(0.3)
        assert t.is_alive() and done == []
        b.release(0)
        t.join(10)
        assert done == [None]


def test_wait_many_mixes_slots_processes_and_pidfds(child, name, server):
    c = child()
    pidfd = os.pidfd_open(c.pid)
    try:
        with mailslot.proc_open(c.pid) as p:
            objs = [p, server, pidfd]
            with pytest.raises(TimeoutError):
                mailslot.wait_many(objs, 0.05)
            with mailslot.open(name, "w") as w:
                w.send(b"m")
            assert mailslot.wait_many(objs, 0) == 1
            with pytest.raises(TimeoutError):
                mailslot.wait_many(objs, 0, all=True)
            assert mailslot.wait_many(objs, 10) == 1
            c.release(0)
            mailslot.wait_one(p, 10)
            assert mailslot.wait_many(objs, 0) == 0
            assert mailslot.wait_many(objs, 10, all=True) is None
            assert mailslot.wait_one(pidfd, 0) is None
            assert server.info().msgs == 1
    finally:
        os.close(pidfd)


def test_wait_many_errors(name, server):
    with pytest.raises(OSError) as e:
        mailslot.wait_many([server, server.fileno()])
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        mailslot.wait_many([])
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        mailslot.wait_many(list(range(1000, 1065)))   # 65 fds
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        mailslot.wait_one(1000, 0)
    assert e.value.errno == errno.EBADF
    with mailslot.open(name, "w") as w:
        with pytest.raises(OSError) as e:   # a writer is not waitable
            mailslot.wait_one(w, 0)
        assert e.value.errno == errno.EINVAL
    with pytest.raises(TypeError):
        mailslot.wait_one("not an fd")


def test_wait_many_64_objects(name):
    slots = [mailslot.create("%s-%d" % (name, k)) for k in range(mailslot.WAIT_MAX)]
    try:
        with pytest.raises(TimeoutError):
            mailslot.wait_many(slots, 0)
        with mailslot.open(slots[63].name, "w") as w:
            w.send(b"last")
        assert mailslot.wait_many(slots, 0) == 63
    finally:
        for s in slots:
            s.close()


def test_signal_does_not_shorten_a_wait(child):
    c = child()
    hits = []
    old = signal.signal(signal.SIGALRM, lambda *a: hits.append(1))
    try:
        with mailslot.proc_open(c.pid) as p:
            t0 = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            with pytest.raises(TimeoutError):
                mailslot.wait_one(p, 0.5)
            assert time.monotonic() - t0 >= 0.5
            assert hits == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_process_objects_work_with_selectors(child):
    c = child()
    with mailslot.proc_open(c.pid) as p, selectors.DefaultSelector() as sel:
        sel.register(p, selectors.EVENT_READ)
        assert sel.select(0) == []
        c.release(0)
        ready = sel.select(10)
        assert [(k.fileobj, ev) for k, ev in ready] == [(p, selectors.EVENT_READ)]
