# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""The ABI of uapi/linux/mailslot.h, as struct formats and ioctl numbers.

Every layout is native x86-64/arm64 Linux (little endian, no padding the
header does not spell out): the formats use "=" and list the reserved
fields, and their sizes are checked against the header's at import.
"""

import struct

MAGIC = 0xB9

DEV_DIR = "/dev/mailslot"
CONTROL_PATH = "/dev/mailslot/control"
NAME_MAX = 255
TIMEOUT_INFINITE = (1 << 64) - 1
NO_MESSAGE = (1 << 32) - 1
WAIT_MAX = 64

DEFAULT_MAX_MSG_SIZE = 65536
DEFAULT_MAX_MSGS = 256
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MODE = 0o600
MAX_MSGS_LIMIT = 65536
MAX_BYTES_LIMIT = 64 * 1024 * 1024

OVERFLOW_BLOCK = 0
OVERFLOW_FAIL = 1
OVERFLOW_DROP = 2

CREATE_NONBLOCK = 1 << 0
CREATE_LISTENER_DROP = 1 << 1

INFO_READER = 1 << 0
INFO_WRITER = 1 << 1
INFO_SERVER = 1 << 2
INFO_CLOSED = 1 << 3

PROC_NONBLOCK = 1 << 0

WAIT_ALL = 1 << 0
WAIT_ABSOLUTE = 1 << 1

# struct mailslot_create: name, read_timeout_ns, mode, max_msg_size,
# max_msgs, max_bytes, overflow, flags, reserved[2]
CREATE = struct.Struct("=QQIIIIIIQQ")
# struct mailslot_msg_info: seq, time_ns, pid, uid, gid, size, info_size,
# flags, reserved[4]
MSG_INFO = struct.Struct("=QQIIIIIIQQQQ")
# struct mailslot_recv: buf, size, flags, reserved[2], then the msg_info
RECV_HEAD = struct.Struct("=QIIQQ")
RECV_SIZE = RECV_HEAD.size + MSG_INFO.size
# struct mailslot_recv_batch: buf, size, max_msgs, flags, bytes, reserved[2]
RECV_BATCH = struct.Struct("=QQIIQQQ")
# struct mailslot_info: read_timeout_ns, msgs, bytes, drops, sent,
# max_msg_size, next_size, max_msgs, max_bytes, readers, writers,
# overflow, flags, reserved[4]
INFO = struct.Struct("=QQQQQIIIIIIIIQQQQ")
# struct mailslot_proc_open: pid, flags, reserved
PROC_OPEN = struct.Struct("=IIQ")
# struct mailslot_proc_exit: exit_time_ns, pid, status, comm[16], reserved[2]
PROC_EXIT = struct.Struct("=QIi16sQQ")
# struct mailslot_wait: timeout_ns, fds, count, flags, index, reserved
WAIT = struct.Struct("=QQIIII")

# The sizes the header's structs have (pahole-checked by make lint).
for _s, _n in ((CREATE, 56), (MSG_INFO, 72), (RECV_BATCH, 48), (INFO, 104),
               (PROC_OPEN, 16), (PROC_EXIT, 48), (WAIT, 32)):
    assert _s.size == _n, (_s.format, _s.size, _n)
assert RECV_SIZE == 104


def record_size(payload):
    """MAILSLOT_RECORD_SIZE: a batch record's bytes for this payload."""
    return (MSG_INFO.size + payload + 7) & ~7


def _ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (MAGIC << 8) | nr


_W, _R, _WR = 1, 2, 3

IOC_CREATE = _ioc(_W, 0x00, CREATE.size)
IOC_PROC_OPEN = _ioc(_W, 0x01, PROC_OPEN.size)
IOC_WAIT = _ioc(_WR, 0x02, WAIT.size)
IOC_GET_INFO = _ioc(_R, 0x10, INFO.size)
IOC_SET_TIMEOUT = _ioc(_W, 0x11, 8)
IOC_RECV = _ioc(_WR, 0x12, RECV_SIZE)
IOC_RECV_BATCH = _ioc(_WR, 0x13, RECV_BATCH.size)

# struct pidfd_info as of 6.13 (PIDFD_INFO_SIZE_VER0): mask, cgroupid, pid,
# tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, spare0
PIDFD_INFO = struct.Struct("=QQIII8II")
assert PIDFD_INFO.size == 64
PIDFD_GET_INFO = (_WR << 30) | (PIDFD_INFO.size << 16) | (0xFF << 8) | 11
PIDFD_INFO_PID = 1 << 0
