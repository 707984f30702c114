#!/usr/bin/env python3
"""Run every tests/http/test_*.py against the real build/circles.

Environment: CIRCLES_TEST_BINARY (default build/circles),
CIRCLES_TEST_DATABASE_URL (a PostgreSQL URL: each server gets a fresh
database on it; unset: SQLite in a temp dir), CIRCLES_HTTP_TESTS (comma
list of module names to run a subset).  Ends with "N passed, N failed".
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class CountingResult(unittest.TextTestResult):
    """Counts each subTest as a case of its own, passed or failed."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0
        self.failed_cases = 0
        self._had_subtests = set()

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        self._had_subtests.add(test.id())
        if err is None:
            self.passed += 1
        else:
            self.failed_cases += 1

    def addSuccess(self, test):
        super().addSuccess(test)
        if test.id() not in self._had_subtests:
            self.passed += 1

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.failed_cases += 1

    def addError(self, test, err):
        super().addError(test, err)
        self.failed_cases += 1

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.failed_cases += 1


def main():
    loader = unittest.TestLoader()
    only = [m for m in os.environ.get("CIRCLES_HTTP_TESTS", "").split(",") if m]
    suite = unittest.TestSuite()
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        mod = name[:-3]
        if only and mod not in only:
            continue
        suite.addTests(loader.loadTestsFromName(mod))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout,
                                     resultclass=CountingResult).run(suite)
    import circles
    circles.close_all()
    passed, failed = result.passed, result.failed_cases
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
