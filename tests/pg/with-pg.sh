#!/bin/sh
# with-pg.sh: run a command with a throwaway PostgreSQL server.
#
#   tests/pg/with-pg.sh meson test -C build --suite unit
#
# Starts a server (start.sh), exports CIRCLES_TEST_PG_URL, runs the command,
# and stops the server (stop.sh) however the command ends.  Exits with the
# command's status.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
state=$(mktemp "${TMPDIR:-/tmp}/circles-pg-state.XXXXXX")
export CIRCLES_PG_STATE="$state"
CIRCLES_TEST_PG_URL=$("$here/start.sh")
export CIRCLES_TEST_PG_URL
dir=$(cat "$state")
trap '"$here/stop.sh" "$dir" || true; rm -f "$state"' EXIT
trap 'exit 130' INT TERM HUP
set +e
"$@"
rc=$?
set -e
exit $rc
