# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""Slots from Python: create, open, send, recv, recv_batch, info, timeouts."""

import errno
import os
import selectors
import signal
import stat
import threading
import time

import pytest

import mailslot

HEAD = 72   # sizeof(struct mailslot_msg_info)


def elapsed_since(t0):
    return time.monotonic() - t0


@pytest.mark.nomodule
def test_version_is_the_top_level_VERSION():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "VERSION")
    if not os.path.exists(path) and os.environ.get("MAILSLOT_REQUIRE_MODULE") != "1":
        pytest.skip("not in the source tree (no ../../VERSION)")
    with open(path) as f:
        assert mailslot.__version__ == f.read().strip()


def test_create_makes_the_node_and_reports_defaults(name, server):
    st = os.stat("/dev/mailslot/" + name)
    assert stat.S_ISCHR(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == os.geteuid()
    i = server.info()
    assert i.flags == mailslot.INFO_SERVER | mailslot.INFO_READER
    assert (i.is_server, i.is_reader, i.is_writer, i.server_closed) == (True, True, False, False)
    assert i.read_timeout is None
    assert (i.max_msg_size, i.max_msgs, i.max_bytes) == (65536, 256, 1 << 20)
    assert (i.msgs, i.bytes, i.drops, i.sent) == (0, 0, 0, 0)
    assert i.next_size is None
    assert (i.readers, i.writers) == (1, 0)
    assert i.overflow == mailslot.OVERFLOW_BLOCK
    assert server.name == name


def test_create_with_limits_mode_and_timeout(name):
    with mailslot.create("/dev/mailslot/" + name, mode=0o640, max_msg_size=100,
                         max_msgs=3, max_bytes=1000, timeout=0.25,
                         overflow=mailslot.OVERFLOW_DROP) as s:
        assert stat.S_IMODE(os.stat("/dev/mailslot/" + name).st_mode) == 0o640
        i = s.info()
        assert (i.max_msg_size, i.max_msgs, i.max_bytes) == (100, 3, 1000)
        assert i.read_timeout == 0.25
        assert i.overflow == mailslot.OVERFLOW_DROP
        assert s.name == name


def test_closing_the_server_removes_the_slot(name):
    s = mailslot.create(name)
    fd = s.fileno()
    s.close()
    assert s.closed
    assert not os.path.exists("/dev/mailslot/" + name)
    with pytest.raises(OSError) as e:
        os.fstat(fd)
    assert e.value.errno == errno.EBADF
    with pytest.raises(ValueError):
        s.fileno()
    s.close()   # twice is fine


def test_with_block_closes(name):
    with mailslot.create(name) as s:
        with mailslot.open(name, "w") as w:
            assert not w.closed
        assert w.closed
        assert os.path.exists("/dev/mailslot/" + name)
    assert s.closed
    assert not os.path.exists("/dev/mailslot/" + name)


def test_fds_are_cloexec(name, server):
    with mailslot.open(name, "r") as r:
        assert not os.get_inheritable(server.fileno())
        assert not os.get_inheritable(r.fileno())


def test_errors_map_to_oserror_subclasses(name, server):
    with pytest.raises(FileExistsError) as e:
        mailslot.create(name)
    assert e.value.errno == errno.EEXIST
    assert e.value.filename == name
    with pytest.raises(FileNotFoundError) as e:
        mailslot.open(name + "-none", "w")
    assert e.value.errno == errno.ENOENT
    assert e.value.filename == os.fsencode("/dev/mailslot/" + name + "-none")
    for bad in ("a//b", "/a", "a/", "control", "a/../b", ""):
        with pytest.raises(OSError) as e:
            mailslot.create(bad)
        assert type(e.value) is OSError
        assert e.value.errno == errno.EINVAL, bad
    with pytest.raises(OSError) as e:
        mailslot.create("x" * 256)
    assert e.value.errno == errno.ENAMETOOLONG
    with pytest.raises(OSError) as e:
        mailslot.open("control", "w")
    assert e.value.errno == errno.EINVAL
    with pytest.raises(OSError) as e:
        mailslot.create(name + "-m", mode=0o1777)
    assert e.value.errno == errno.EINVAL
    with pytest.raises(ValueError):
        mailslot.open(name, "a")


def test_send_recv_carries_metadata_in_order(name, server):
    with mailslot.open(name, "w") as w:
        t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        assert w.send(b"one") == 3
        assert w.send(bytearray(b"two!")) == 4
        assert w.send(memoryview(b"three")) == 5
        t1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
    got = [server.recv() for _ in range(3)]
    assert [m.data for m in got] == [b"one", b"two!", b"three"]
    assert [m.seq for m in got] == [1, 2, 3]
    assert [m.size for m in got] == [3, 4, 5]
    for m in got:
        assert isinstance(m, mailslot.Message)
        assert (m.pid, m.uid, m.gid) == (os.getpid(), os.geteuid(), os.getegid())
        assert m.info_size == HEAD
        assert m.flags == 0
        assert t0 <= m.time_ns <= t1
    assert got[0].time_ns <= got[1].time_ns <= got[2].time_ns


def test_empty_message(name, server):
    with mailslot.open(name, "w") as w:
        assert w.send(b"") == 0
    m = server.recv()
    assert (m.data, m.size, m.seq) == (b"", 0, 1)


def test_sendv_is_one_message(name, server):
    with mailslot.open(name, "w") as w:
        assert w.sendv([b"ab", bytearray(b"cd"), memoryview(b"e")]) == 5
        assert w.sendv([b"", b""]) == 0
        assert w.sendv([]) == 0
    assert [server.recv().data for _ in range(3)] == [b"abcde", b"", b""]
    assert server.info().msgs == 0


def test_small_buffer_is_emsgsize_and_keeps_the_message(name, server):
    with mailslot.open(name, "w") as w:
        w.send(b"12345")
    assert server.pending() == 5
    with pytest.raises(mailslot.MessageSizeError) as e:
        server.recv(bufsize=4)
    assert isinstance(e.value, OSError)
    assert e.value.errno == errno.EMSGSIZE
    assert e.value.size == 5
    i = server.info()
    assert (i.msgs, i.next_size) == (1, 5)
    m = server.recv(bufsize=5)
    assert (m.data, m.seq) == (b"12345", 1)
    assert server.pending() == 0


def test_too_large_send_reaches_nobody(name):
    with mailslot.create(name, max_msg_size=8) as s, mailslot.open(name, "w") as w:
        with pytest.raises(OSError) as e:
            w.send(b"123456789")
        assert e.value.errno == errno.EMSGSIZE
        assert w.send(b"12345678") == 8
        assert s.info().msgs == 1
        m = s.recv()
        assert (m.data, m.seq) == (b"12345678", 1)


def test_fanout_every_reader_gets_its_copy(name, server):
    with mailslot.open(name, "r") as l1, mailslot.open(name, "w") as w:
        w.send(b"first")
        with mailslot.open(name, "r") as l2:
            w.send(b"second")
            assert server.info().readers == 3
            assert [m.data for m in (server.recv(), server.recv())] == [b"first", b"second"]
            assert [m.data for m in (l1.recv(), l1.recv())] == [b"first", b"second"]
            m = l2.recv()
            assert (m.data, m.seq) == (b"second", 2)
            assert l2.info().msgs == 0
        assert server.info().sent == 2


def test_handle_modes(name, server):
    with mailslot.open(name, "rw") as rw, mailslot.open(name, "w") as w, \
            mailslot.open(name, "r") as r:
        assert rw.info().flags == mailslot.INFO_READER | mailslot.INFO_WRITER
        assert w.info().flags == mailslot.INFO_WRITER
        assert r.info().flags == mailslot.INFO_READER
        assert server.info().writers == 2
        with pytest.raises(OSError) as e:
            r.send(b"x")
        assert e.value.errno == errno.EBADF
        with pytest.raises(OSError) as e:
            w.recv()
        assert e.value.errno == errno.EBADF
        with pytest.raises(OSError) as e:
            w.recv(timeout=0)
        assert e.value.errno == errno.EBADF
        rw.send(b"self")
        assert rw.recv().data == b"self"


def test_info_counts_queue_and_next_size(name, server):
    with mailslot.open(name, "w") as w:
        w.send(b"abc")
        w.send(b"defgh")
        i = server.info()
        assert (i.msgs, i.bytes, i.next_size, i.sent) == (2, 8, 3, 2)
        wi = w.info()
        assert (wi.msgs, wi.bytes, wi.next_size) == (0, 0, 0)   # not a reader
        assert wi.sent == 2
        server.recv()
        i = server.info()
        assert (i.msgs, i.bytes, i.next_size) == (1, 5, 5)


def test_recv_batch_is_an_iterator_of_messages(name, server):
    with mailslot.open(name, "w") as w:
        for k in range(5):
            w.send(b"m%d" % k * (k + 1))
    batch = server.recv_batch(max_msgs=3)
    assert len(batch) == 3
    assert batch.nbytes == sum(mailslot.record_size(2 * (k + 1)) for k in range(3))
    assert batch.nbytes == 3 * 80
    assert iter(batch) is batch
    got = list(batch)
    assert [m.data for m in got] == [b"m0", b"m1m1", b"m2m2m2"]
    assert [m.seq for m in got] == [1, 2, 3]
    assert all(m.pid == os.getpid() and m.info_size == HEAD for m in got)
    with pytest.raises(StopIteration):
        next(batch)
    rest = server.recv_batch()
    assert [(m.seq, m.data) for m in rest] == [(4, b"m3m3m3m3"), (5, b"m4" * 5)]
    with pytest.raises(BlockingIOError):
        server.recv_batch(timeout=0)


def test_recv_batch_takes_what_fits(name, server):
    with mailslot.open(name, "w") as w:
        w.send(b"a" * 10)
        w.send(b"b" * 10)
    one = mailslot.record_size(10)
    assert one == 88
    with pytest.raises(mailslot.MessageSizeError) as e:
        server.recv_batch(bufsize=one - 1)
    assert e.value.errno == errno.EMSGSIZE
    assert e.value.size == one
    b = server.recv_batch(bufsize=one + one - 1)
    assert [m.data for m in b] == [b"a" * 10]
    assert [m.data for m in server.recv_batch(bufsize=one)] == [b"b" * 10]
    with pytest.raises(OSError) as e:
        server.recv_batch(max_msgs=0)
    assert e.value.errno == errno.EINVAL


def test_handle_timeout_zero_finite_and_forever(name, server):
    server.set_timeout(0)
    assert server.info().read_timeout == 0
    with pytest.raises(BlockingIOError) as e:
        server.recv()
    assert e.value.errno == errno.EAGAIN
    server.set_timeout(0.2)
    assert server.info().read_timeout == 0.2
    t0 = time.monotonic()
    with pytest.raises(TimeoutError) as e:
        server.recv()
    assert e.value.errno == errno.ETIMEDOUT
    assert elapsed_since(t0) >= 0.2
    with pytest.raises(TimeoutError):
        server.recv_batch()
    server.set_timeout(None)
    assert server.info().read_timeout is None
    with pytest.raises(OSError) as e:
        server.set_timeout(-1)
    assert e.value.errno == errno.EINVAL


def test_create_timeout_is_every_handles_default(name):
    with mailslot.create(name, timeout=0) as s, mailslot.open(name, "r") as r:
        assert r.info().read_timeout == 0
        with pytest.raises(BlockingIOError):
            r.recv()
        r.set_timeout(5)
        assert (r.info().read_timeout, s.info().read_timeout) == (5, 0)


def test_explicit_timeouts(name, server):
    with pytest.raises(BlockingIOError):
        server.recv(timeout=0)
    t0 = time.monotonic()
    with pytest.raises(TimeoutError):
        server.recv(timeout=0.15)
    assert elapsed_since(t0) >= 0.15
    with mailslot.open(name, "w") as w:
        w.send(b"x")
    assert server.recv(timeout=0).data == b"x"


def test_blocking_recv_blocks_and_wakes(name, server):
    got = []
    t = threading.Thread(target=lambda: got.append(server.recv()))
    t.start()
    t.join(0.3)
    assert t.is_alive() and got == []   # blocked, and the GIL is free
    with mailslot.open(name, "w") as w:
        w.send(b"wake")
    t.join(10)
    assert not t.is_alive()
    assert [m.data for m in got] == [b"wake"]


def test_signal_during_recv_is_retried(name, server):
    hits = []
    old = signal.signal(signal.SIGALRM, lambda *a: hits.append(1))
    try:
        def later():
            # The message comes only after the signal has been handled
            # (a SIGALRM goes to the main thread, the one in recv()).
            end = time.monotonic() + 10
            while not hits and time.monotonic() < end:
                time.sleep(0.01)
            time.sleep(0.3)
            with mailslot.open(name, "w") as w:
                w.send(b"after the signal")
        t = threading.Thread(target=later)
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        t.start()
        m = server.recv()
        t.join()
        assert m.data == b"after the signal"
        assert hits == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_signal_handler_exception_ends_recv(name, server):
    class Stop(Exception):
        pass

    def handler(*a):
        raise Stop()
    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with pytest.raises(Stop):
            server.recv()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert server.info().msgs == 0


def test_end_of_slot(name):
    s = mailslot.create(name)
    listener = mailslot.open(name, "r")
    w = mailslot.open(name, "w")
    w.send(b"a")
    w.send(b"b")
    s.close()
    assert listener.info().server_closed
    with pytest.raises(BrokenPipeError) as e:
        w.send(b"c")
    assert e.value.errno == errno.EPIPE
    assert [m.data for m in listener] == [b"a", b"b"]   # drains, then stops
    with pytest.raises(BrokenPipeError):
        listener.recv()
    with pytest.raises(BrokenPipeError):
        listener.recv(timeout=0)
    with pytest.raises(BrokenPipeError):
        listener.recv_batch()
    listener.close()
    w.close()


def test_overflow_fail(name):
    with mailslot.create(name, max_msgs=2, overflow=mailslot.OVERFLOW_FAIL) as s, \
            mailslot.open(name, "w") as w:
        w.send(b"1")
        w.send(b"2")
        with pytest.raises(BlockingIOError) as e:
            w.send(b"3")
        assert e.value.errno == errno.EAGAIN
        i = s.info()
        assert (i.msgs, i.sent, i.drops) == (2, 2, 0)


def test_overflow_drop_counts_and_keeps_the_newest(name):
    with mailslot.create(name, max_msgs=2, overflow=mailslot.OVERFLOW_DROP) as s, \
            mailslot.open(name, "w") as w:
        for k in (b"1", b"2", b"3", b"4"):
            w.send(k)
        i = s.info()
        assert (i.msgs, i.drops, i.sent) == (2, 2, 4)
        assert [(m.seq, m.data) for m in s.recv_batch()] == [(3, b"3"), (4, b"4")]


def test_overflow_block_nonblocking_writer_gets_eagain(name):
    with mailslot.create(name, max_msgs=1) as s, \
            mailslot.open(name, "w", nonblock=True) as w:
        w.send(b"1")
        with pytest.raises(BlockingIOError):
            w.send(b"2")
        w.set_blocking(True)
        done = []
        t = threading.Thread(target=lambda: done.append(w.send(b"2")))
        t.start()
        t.join(0.3)
        assert t.is_alive() and done == []     # the full queue holds it
        assert s.recv().data == b"1"
        t.join(10)
        assert done == [1]
        assert s.recv().data == b"2"


def test_listener_drop_flag(name):
    with mailslot.create(name, max_msgs=1, listener_drop=True,
                         overflow=mailslot.OVERFLOW_FAIL) as s, \
            mailslot.open(name, "r") as r, mailslot.open(name, "w") as w:
        w.send(b"1")
        assert s.recv().data == b"1"
        w.send(b"2")          # the listener's queue is full: it drops
        i = r.info()
        assert (i.msgs, i.drops) == (1, 1)
        assert r.recv().data == b"2"


def test_nonblocking_server(name):
    with mailslot.create(name, nonblock=True) as s:
        with pytest.raises(BlockingIOError):
            s.recv()
        s.set_blocking(True)
        s.set_timeout(0.05)
        with pytest.raises(TimeoutError):
            s.recv()


def test_selectors(name, server):
    with mailslot.open(name, "w") as w, selectors.DefaultSelector() as sel:
        sel.register(server, selectors.EVENT_READ, "server")
        sel.register(w, selectors.EVENT_WRITE, "writer")
        ready = sel.select(0)
        assert [(k.fileobj, k.data, ev) for k, ev in ready] == \
            [(w, "writer", selectors.EVENT_WRITE)]
        sel.unregister(w)
        assert sel.select(0) == []
        w.send(b"ping")
        ready = sel.select(5)
        assert [(k.fileobj, ev) for k, ev in ready] == [(server, selectors.EVENT_READ)]
        assert server.recv().data == b"ping"
        assert sel.select(0) == []


def test_wait_one_on_a_reader_consumes_nothing(name, server):
    t0 = time.monotonic()
    with pytest.raises(TimeoutError):
        mailslot.wait_one(server, 0.1)
    assert elapsed_since(t0) >= 0.1
    with pytest.raises(TimeoutError):
        mailslot.wait_one(server, 0)
    with mailslot.open(name, "w") as w:
        w.send(b"x")
    assert mailslot.wait_one(server, 0) is None
    assert mailslot.wait_one(server) is None
    assert server.info().msgs == 1


def test_detach_and_wrap(name, server):
    with mailslot.open(name, "w") as w:
        fd = w.detach()
        assert w.closed
    again = mailslot.Slot(fd, name)
    again.send(b"via the same fd")
    again.close()
    assert server.recv().data == b"via the same fd"
