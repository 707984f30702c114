#!/usr/bin/env python3
"""Run every Circles test suite and print one total: "N passed, N failed".

Suites (each counted per test case, not per program):
  unit      cmocka programs under build/ (TAP output, one line per case)
  http      Python HTTP tests against the real build/circles, on SQLite
  http-pg   the same against a throwaway PostgreSQL started on loopback
  asan      unit + HTTP tests again, built with AddressSanitizer and UBSan
  e2e       browser tests in headless Chromium (playwright-core + axe-core)
  fuzz      every libFuzzer target, briefly, on its seed corpus

Set CIRCLES_SUITES=unit,http to run a subset.  Exit status 1 if any failed.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAP_OK = re.compile(r"^(not ok|ok)\b(.*)$")
SUMMARY = re.compile(r"^(?:[a-z-]+: )?(\d+) passed, (\d+) failed\s*$")


def log(msg):
    print(msg, flush=True)


def run_tap_program(cmd, env, cwd):
    """Run one TAP-emitting program; return (passed, failed, output)."""
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace")
    passed = failed = 0
    for line in p.stdout.splitlines():
        m = TAP_OK.match(line.strip())
        if m and "# SKIP" in m.group(2).upper():
            continue                # skipped (PostgreSQL cases without a server)
        if m:
            if m.group(1) == "ok":
                passed += 1
            elif m.group(1) == "not ok":
                failed += 1
    if p.returncode != 0 and failed == 0:
        failed = 1  # crashed or exited badly without reporting a case
    return passed, failed, p.stdout


def suite_unit(builddir, extra_env=None):
    intro = subprocess.run(["meson", "introspect", builddir, "--tests"],
                           stdout=subprocess.PIPE, text=True, check=True)
    tests = [t for t in json.loads(intro.stdout) if "unit" in t.get("suite", [])
             or any(s.endswith(":unit") for s in t.get("suite", []))]
    tp = tf = 0
    for t in tests:
        env = dict(os.environ)
        env.update(t.get("env") or {})
        env.update(extra_env or {})
        p, f, out = run_tap_program(t["cmd"], env, t.get("workdir") or ROOT)
        tp += p
        tf += f
        if f:
            log(f"--- unit test {t['name']} failed:\n{out[-6000:]}")
    return tp, tf


def run_counted(cmd, env=None, cwd=ROOT, timeout=1500):
    """Run a command that ends its output with 'N passed, N failed'."""
    e = dict(os.environ)
    e.update(env or {})
    # Output goes to a file, not a pipe: a stray child holding a pipe open
    # must not hang the run.  The whole process group is killed afterwards.
    with tempfile.TemporaryFile(mode="w+", errors="replace") as f:
        p = subprocess.Popen(cmd, env=e, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            rc = p.wait(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            rc, timed_out = -1, True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        f.seek(0)
        out = f.read()
    if timed_out:
        out += f"\n(timed out after {timeout}s)"
    passed = failed = None
    for line in out.splitlines():
        m = SUMMARY.match(line.strip())
        if m:
            passed, failed = int(m.group(1)), int(m.group(2))
    if passed is None:
        passed, failed = 0, 1
    if rc != 0 and failed == 0:
        failed = 1
    if failed:
        log(f"--- {' '.join(cmd)} reported failures:\n{out[-12000:]}")
    return passed, failed


def http_suite(binary, db_url=None, label="http"):
    env = {"CIRCLES_TEST_BINARY": binary,
           "CIRCLES_TEST_SERVER": os.path.join(os.path.dirname(binary), "tests/unit/http/devserver")}
    if db_url:
        env["CIRCLES_TEST_DATABASE_URL"] = db_url
    return run_counted([sys.executable, os.path.join(ROOT, "tests/http/run.py")], env)


def start_pg():
    p = subprocess.run([os.path.join(ROOT, "tests/pg/start.sh")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        log("--- could not start PostgreSQL:\n" + p.stderr[-4000:])
        return None
    return p.stdout.strip().splitlines()[-1]


def main():
    wanted = os.environ.get("CIRCLES_SUITES", "unit,http,http-pg,asan,e2e,fuzz").split(",")
    results = []

    def record(name, pf, started):
        results.append((name, pf[0], pf[1]))
        log(f"{name}: {pf[0]} passed, {pf[1]} failed ({time.time() - started:.0f}s)")

    build = os.path.join(ROOT, "build")
    binary = os.path.join(build, "circles")
    has_http = os.path.exists(os.path.join(ROOT, "tests/http/run.py"))

    if "unit" in wanted:
        t = time.time()
        record("unit", suite_unit(build), t)
    if "http" in wanted and has_http:
        t = time.time()
        record("http-sqlite", http_suite(binary), t)
    if "http-pg" in wanted and has_http and os.path.exists(os.path.join(ROOT, "tests/pg/start.sh")):
        t = time.time()
        url = start_pg()
        if url is None:
            record("http-postgresql", (0, 1), t)
        else:
            try:
                unit_pg = suite_unit(build, {"CIRCLES_TEST_PG_URL": url})
                record("unit-postgresql", unit_pg, t)
                t = time.time()
                record("http-postgresql", http_suite(binary, url), t)
            finally:
                subprocess.run([os.path.join(ROOT, "tests/pg/stop.sh")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if "asan" in wanted:
        t = time.time()
        asan = os.path.join(ROOT, "build-asan")
        if not os.path.exists(os.path.join(asan, "build.ninja")):
            # GCC 12 with UBSan reports false -Wformat-truncation on
            # vsnprintf(NULL, 0, ...) size probes; everything else stays -Werror.
            subprocess.run(["meson", "setup", asan, "-Db_sanitize=address,undefined",
                            "-Db_lundef=false", "--buildtype=debug",
                            "-Dc_args=-Wno-format-truncation"], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        b = subprocess.run(["ninja", "-C", asan], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if b.returncode != 0:
            log("--- sanitizer build failed:\n" + b.stdout[-6000:])
            record("asan-build", (0, 1), t)
        else:
            os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
            os.environ.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
            record("asan-unit", suite_unit(asan), t)
            if has_http:
                t = time.time()
                record("asan-http-sqlite", http_suite(os.path.join(asan, "circles")), t)
    if "e2e" in wanted and os.path.exists(os.path.join(ROOT, "tests/e2e/run.mjs")):
        t = time.time()
        record("e2e", run_counted(["node", os.path.join(ROOT, "tests/e2e/run.mjs")],
                                  {"CIRCLES_TEST_BINARY": binary}), t)
    if "fuzz" in wanted and os.path.exists(os.path.join(ROOT, "tests/fuzz/run.sh")):
        t = time.time()
        record("fuzz", run_counted([os.path.join(ROOT, "tests/fuzz/run.sh")]), t)

    passed = sum(r[1] for r in results)
    failed = sum(r[2] for r in results)
    log("")
    for name, p, f in results:
        log(f"  {name:<20} {p:>5} passed {f:>4} failed")
    log(f"{passed} passed, {failed} failed")
    with open(os.path.join(ROOT, "build", "test-summary.txt"), "w") as f:
        f.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
