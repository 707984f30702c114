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
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
