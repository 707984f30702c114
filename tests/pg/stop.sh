#!/bin/sh
# stop.sh: stop a server started by tests/pg/start.sh and delete its files.
#
#   tests/pg/stop.sh [DIR]
#
# DIR is the directory start.sh reported (or its data subdirectory); without
# it, the one recorded in the state file ($CIRCLES_PG_STATE, default
# ${TMPDIR:-/tmp}/circles-test-pg.dir).  Only directories carrying
# start.sh's marker file are removed.
set -eu

say() { echo "stop.sh: $*" >&2; }
state=${CIRCLES_PG_STATE:-${TMPDIR:-/tmp}/circles-test-pg.dir}

dir=${1:-}
if [ -z "$dir" ]; then
	[ -f "$state" ] || { say "no DIR given and no $state"; exit 1; }
	dir=$(cat "$state")
fi
case $dir in
*/data) [ -f "$dir/../.circles-test-pg" ] && dir=${dir%/data} ;;
esac
if [ ! -f "$dir/.circles-test-pg" ]; then
	say "$dir was not made by tests/pg/start.sh; not touching it"
	exit 1
fi

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
	# the server's own version decides which pg_ctl stops it
	v=$(cat "$dir/data/PG_VERSION" 2>/dev/null || echo)
	for d in "/usr/lib/postgresql/$v/bin" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null) \
	    /usr/local/pgsql/bin; do
		if [ -x "$d/pg_ctl" ]; then bindir=$d; break; fi
	done
fi
if [ -z "$bindir" ] && command -v pg_ctl >/dev/null 2>&1; then
	bindir=$(dirname "$(command -v pg_ctl)")
fi

if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bindir" ]; then
	if [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u postgres -- "$bindir/pg_ctl" -D "$dir/data" \
		    -m immediate -w stop) >/dev/null 2>&1 || true
	else
		"$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
fi
rm -rf "$dir"
if [ -f "$state" ] && [ "$(cat "$state")" = "$dir" ]; then
	rm -f "$state"
fi
say "stopped and removed $dir"
