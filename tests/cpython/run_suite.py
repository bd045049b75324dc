"""CPython 3.11's own multiprocessing tests (Lib/test/_test_multiprocessing.py), spawn.

Runs unchanged under CPython (`python3.11 run_suite.py`) and under Spawnpoint (the `test`
package copied next to this file). The test classes are made at module level, as CPython's
test_multiprocessing_spawn does, so a spawned child that re-imports this file as
__mp_main__ finds the classes its pickled targets name. Each test's outcome is printed as
a line `@@test {"id", "outcome", "reason"}`; `@@start id` before it, so a harness that
stops a hung run knows which test hung.

Usage: run_suite.py [ClassName ...]   (default: every class in CLASSES)
"""
import json
import sys
import time
import unittest

import test.support

# test.support says an Emscripten interpreter has no subprocess (is_emscripten), so its
# script_helper skips every test that runs `sys.executable`; Spawnpoint's subprocess runs
# [sys.executable, ...] (lib/runtime/python/_spawnpoint/subprocess_popen.py), so those tests
# run here as under CPython. Set before script_helper is imported: its decorators read it then.
test.support.has_subprocess_support = True

import test._test_multiprocessing as _tm  # noqa: E402

from skips import SKIPS

_tm.install_tests_in_module_dict(globals(), "spawn")

# The spawn classes the conformance measure covers: processes, queues, the synchronization
# primitives, shared ctypes, pools, connections, listeners, shared memory and managers.
CLASSES = [
    "WithProcessesTestProcess",
    "WithProcessesTestSubclassingProcess",
    "WithProcessesTestQueue",
    "WithProcessesTestLock",
    "WithProcessesTestSemaphore",
    "WithProcessesTestCondition",
    "WithProcessesTestEvent",
    "WithProcessesTestBarrier",
    "WithProcessesTestValue",
    "WithProcessesTestArray",
    "WithProcessesTestPool",
    "WithProcessesTestPoolWorkerErrors",
    "WithProcessesTestPoolWorkerLifetime",
    "WithProcessesTestConnection",
    "WithProcessesTestListener",
    "WithProcessesTestListenerClient",
    "WithProcessesTestPoll",
    "WithProcessesTestPicklingConnections",
    "WithProcessesTestHeap",
    "WithProcessesTestSharedCTypes",
    "WithProcessesTestSharedMemory",
    "WithProcessesTestFinalize",
    "WithProcessesTestLogging",
    "WithProcessesTestPollEintr",
    "WithProcessesTestManagerRestart",
    "WithManagerTestQueue",
    "WithManagerTestLock",
    "WithManagerTestSemaphore",
    "WithManagerTestCondition",
    "WithManagerTestEvent",
    "WithManagerTestBarrier",
    "WithManagerTestContainers",
    "WithManagerTestPool",
    "WithManagerTestMyManager",
    "WithManagerTestRemoteManager",
    "WithManagerTestManagerRestart",
]


class _Result(unittest.TestResult):
    def _emit(self, test, outcome, reason=""):
        line = {"id": test.id().split(".", 1)[-1], "outcome": outcome, "reason": reason[-2000:]}
        print("@@test " + json.dumps(line), flush=True)

    def startTest(self, test):
        print("@@start " + test.id().split(".", 1)[-1], flush=True)
        super().startTest(test)

    def addSuccess(self, test):
        self._emit(test, "passed")

    def addFailure(self, test, err):
        self._emit(test, "failed", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        self._emit(test, "failed", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        self._emit(test, "skipped", reason)

    def addExpectedFailure(self, test, err):
        self._emit(test, "passed", "expected failure")

    def addUnexpectedSuccess(self, test):
        self._emit(test, "failed", "unexpected success")

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._emit(subtest, "failed", self._exc_info_to_string(err, test))


def _apply_skips(cls):
    """Our skip list: each entry names one test and why it cannot run here."""
    for name in dir(cls):
        reason = SKIPS.get("%s.%s" % (cls.__name__, name))
        if reason is not None:
            setattr(cls, name, unittest.skip(reason)(getattr(cls, name)))


def main(names):
    # One suite for every class, so unittest runs setUpModule / tearDownModule (made by
    # install_tests_in_module_dict: spawn start method, dangling-process checks) once around
    # all of them, as CPython's own runner does, and never falls back to the default method.
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name in names:
        cls = globals()[name]
        _apply_skips(cls)
        suite.addTests(loader.loadTestsFromTestCase(cls))
    start = time.monotonic()
    suite.run(_Result())
    print("@@done %.1f" % (time.monotonic() - start), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or CLASSES)
