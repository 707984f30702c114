#!/bin/sh
# start.sh: start a throwaway PostgreSQL server for tests.
#
#   URL=$(tests/pg/start.sh) && CIRCLES_TEST_PG_URL=$URL meson test -C build --suite unit
#   tests/pg/stop.sh            # or: tests/pg/stop.sh DIR
#
# Creates a private temporary directory, runs initdb there (as the
# `postgres` user when run as root, since initdb refuses root; directly
# otherwise), starts the server on 127.0.0.1 on a free port with its socket
# inside that directory, creates the database circles_test and prints
#
#   postgresql://postgres@127.0.0.1:PORT/circles_test
#
# on stdout (and nothing else).  The directory's path is written to the state
# file ($CIRCLES_PG_STATE, default ${TMPDIR:-/tmp}/circles-test-pg.dir) and to
# stderr, for tests/pg/stop.sh.  No system cluster is needed or touched.
#
# Test settings only: trust authentication (loopback and the private
# socket), fsync=off, no WAL archiving, small memory.  The data is thrown
# away; never point anything real at this server.
#
# Environment: PG_BINDIR (directory with initdb/pg_ctl), CIRCLES_PG_TMPDIR
# (where to create the directory, default /tmp, must be reachable by the
# postgres user), CIRCLES_PG_STATE, CIRCLES_PG_DB (default circles_test).
set -eu

say() { echo "start.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# Binaries: explicit, newest Debian-style install, then PATH.
bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r) \
	    /usr/local/pgsql/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			bindir=$d
			break
		fi
	done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then
	bindir=$(dirname "$(command -v initdb)")
fi
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] ||
	die "PostgreSQL server binaries (initdb, pg_ctl) not found; set PG_BINDIR"

# As root the server runs as postgres; otherwise as the caller.
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || die "running as root but there is no postgres user"
	if command -v runuser >/dev/null 2>&1; then
		as_pg() { (cd / && runuser -u postgres -- "$@"); }
	else
		as_pg() { (cd / && su postgres -s /bin/sh -c '"$0" "$@"' -- "$@"); }
	fi
else
	as_pg() { "$@"; }
fi

base=${CIRCLES_PG_TMPDIR:-/tmp}
dir=$(mktemp -d "$base/circles-pg.XXXXXX") || die "cannot create a directory in $base"
touch "$dir/.circles-test-pg"		# marker: stop.sh only removes marked dirs
chmod 700 "$dir"
[ "$(id -u)" = 0 ] && chown -R postgres "$dir"

cleanup() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
trap 'cleanup' EXIT
trap 'exit 1' INT TERM HUP

if ! as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
    --locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
	cat "$dir/initdb.log" >&2
	die "initdb failed"
fi

cat >>"$dir/data/postgresql.conf" <<CONF

# tests/pg/start.sh: throwaway test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_connections = 60
shared_buffers = 32MB
autovacuum = off
logging_collector = off
log_min_messages = warning
log_min_error_statement = panic
CONF

# A random free port: retry when another process already has it.
port=
tries=0
while [ $tries -lt 20 ]; do
	tries=$((tries + 1))
	p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
	if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	    -o "-p $p" start >/dev/null 2>&1; then
		port=$p
		break
	fi
	if grep -q -i "address already in use\|could not bind\|could not create any TCP" \
	    "$dir/server.log" 2>/dev/null; then
		: >"$dir/server.log"
		continue
	fi
	cat "$dir/server.log" >&2 2>/dev/null || true
	die "the server did not start"
done
[ -n "$port" ] || die "no free port found"

db=${CIRCLES_PG_DB:-circles_test}
# over the private socket as the server user: works as root and as anyone
if ! as_pg "$bindir/createdb" -h "$dir" -p "$port" -U postgres "$db" 2>"$dir/createdb.log"; then
	cat "$dir/createdb.log" >&2
	die "createdb failed"
fi

url="postgresql://postgres@127.0.0.1:$port/$db"
echo "$url" >"$dir/url"
state=${CIRCLES_PG_STATE:-${TMPDIR:-/tmp}/circles-test-pg.dir}
echo "$dir" >"$state"
trap - EXIT INT TERM HUP
say "PostgreSQL running in $dir (stop with: tests/pg/stop.sh $dir)"
echo "$url"
