# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""mailslot: Windows-style mailslots and signaled process objects (placeholder)."""

__version__ = "0.2.0"
