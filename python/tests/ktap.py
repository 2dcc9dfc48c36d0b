# SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
"""pytest plugin (-p ktap): one kselftest TAP line per test.

scripts/run-tests counts "ok N", "ok N ... # SKIP" and "not ok N" lines;
this prints one for every test once its teardown is done (a failure in
any phase, an xfail or an xpass is "not ok": no test here may fail
quietly) and one "not ok" for every module that fails to collect, then
the plan "1..N".  Run pytest with -q: then no file names are printed
before the lines.  pytest's own report (failures, summary) is unchanged
except that the progress letters are left out, so that every TAP line
starts a line of its own.
"""

import pytest


class KTap:
    def __init__(self, config):
        self.config = config
        self.n = 0
        self.bad = {}
        self.skip = {}

    def _line(self, text):
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        if tr is not None:
            tr.write_line(text)
        else:
            print(text, flush=True)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_report_teststatus(self, report, config):
        outcome = yield
        res = outcome.get_result()
        if res and isinstance(res, tuple) and len(res) == 3:
            outcome.force_result((res[0], "", res[2]))

    def pytest_runtest_logreport(self, report):
        nodeid = report.nodeid
        if hasattr(report, "wasxfail"):
            self.bad.setdefault(nodeid, "xfail/xpass in " + report.when)
        elif report.failed:
            self.bad.setdefault(nodeid, "failed in " + report.when)
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self.skip[nodeid] = reason
        if report.when != "teardown":
            return
        self.n += 1
        if nodeid in self.bad:
            self._line("not ok %d %s # %s" % (self.n, nodeid, self.bad.pop(nodeid)))
        elif nodeid in self.skip:
            self._line("ok %d %s # SKIP %s" % (self.n, nodeid, self.skip.pop(nodeid)))
        else:
            self._line("ok %d %s" % (self.n, nodeid))

    def pytest_collectreport(self, report):
        if report.failed:
            self.n += 1
            self._line("not ok %d %s # collection failed" % (self.n, report.nodeid))

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line("1..%d" % self.n)


def pytest_configure(config):
    config.pluginmanager.register(KTap(config), "ktap-reporter")
