# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""Fixtures of the mailslot tests.

The tests need the module loaded (/dev/mailslot/control).  Without it
they are skipped, unless MAILSLOT_REQUIRE_MODULE=1 (the guest run of
make check sets it): then every one fails.
"""

import os
import sys

import pytest

try:
    import mailslot  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import mailslot  # noqa: F401

HAVE_MODULE = os.path.exists("/dev/mailslot/control")
REQUIRE_MODULE = os.environ.get("MAILSLOT_REQUIRE_MODULE") == "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "nomodule: runs without the kernel module")


@pytest.fixture(autouse=True)
def _module_loaded(request):
    if HAVE_MODULE or request.node.get_closest_marker("nomodule"):
        return
    if REQUIRE_MODULE:
        pytest.fail("/dev/mailslot/control is missing (module not loaded)")
    pytest.skip("the mailslot module is not loaded")


@pytest.fixture
def name(request):
    """A slot name of this test's own (with a pseudo-directory)."""
    n = "pytest/%d/%s" % (os.getpid(), request.node.name)
    return n.replace("[", "-").replace("]", "")


@pytest.fixture
def server(name):
    with mailslot.create(name) as s:
        yield s


class Child:
    """A forked child that waits until release(code), then exits with code."""

    def __init__(self):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(w)
                data = os.read(r, 1)
                os._exit(data[0] if data else 99)
            finally:
                os._exit(98)
        os.close(r)
        self.pid = pid
        self._w = w
        self.reaped = False

    def release(self, code=0):
        os.write(self._w, bytes([code]))
        os.close(self._w)
        self._w = -1

    def reap(self):
        if not self.reaped:
            self.reaped = True
            return os.waitpid(self.pid, 0)[1]
        return None

    def kill(self):
        if not self.reaped:
            os.kill(self.pid, 9)
            self.reap()
        if self._w >= 0:
            os.close(self._w)
            self._w = -1


@pytest.fixture
def child():
    """Make children; every one is killed and reaped at the end."""
    made = []

    def make():
        c = Child()
        made.append(c)
        return c
    yield make
    for c in made:
        c.kill()
