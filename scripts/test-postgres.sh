#!/usr/bin/env bash
# A real database: runs examples/event-store's tests against SQLite and a real
# PostgreSQL server. Installs the server from Debian's packages when the
# machine has none (apt-get install postgresql), makes a cluster with initdb
# in a temporary directory, starts it with pg_ctl on 127.0.0.1 on a free port
# (as the postgres user when run as root: postgres refuses root), and stops
# and removes it on exit, whatever happens.
#
#   scripts/test-postgres.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
began=$SECONDS
fail() { echo "test-postgres: $*" >&2; exit 1; }

[ -x .venv/bin/python ] || fail "no .venv: run scripts/setup-python.sh first"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    [ "$(id -u)" = 0 ] || fail "PostgreSQL is not installed: apt-get install postgresql (as root)"
    echo "installing PostgreSQL (Debian's packages)"
    apt-get update -q >/dev/null
    # The package's own cluster is not needed (and would start a server): skip creating it.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/memberkit-tests.conf
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    bin=$(find_bin)
    [ -x "$bin/postgres" ] || fail "postgres not found after installing"
fi

tmp=$(mktemp -d)
pg=$tmp/pg   # the server's: data, socket, logs (the postgres user's own when run as root)
data=$pg/data
run=()
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    run=(runuser -u postgres --)
fi
cleanup() {
    if [ -f "$data/postmaster.pid" ]; then
        (cd "$tmp" && "${run[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null) || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
mkdir -m 700 "$pg"
printf '%s\n' "$password" >"$pg/pwfile"
chmod 755 "$tmp"
if [ "${#run[@]}" -gt 0 ]; then chown -R postgres "$pg"; fi

cd "$tmp"   # the postgres user may not read the caller's directory
"${run[@]}" "$bin/initdb" -D "$data" -U memberkit --pwfile="$pg/pwfile" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$pg/initdb.log" 2>&1 ||
    { cat "$pg/initdb.log" >&2; fail "initdb failed"; }

started=
for _ in 1 2 3; do   # a port found free may be taken before the server binds it: try another
    port=$("$root/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$pg/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $pg -c fsync=off -c synchronous_commit=off" start >/dev/null; then
        started=1
        break
    fi
done
[ -n "$started" ] || { cat "$pg/server.log" >&2; fail "the server did not start"; }
cd "$root"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $data)"

export MEMBERKIT_TEST_POSTGRES="host=127.0.0.1 port=$port dbname=postgres user=memberkit password=$password connect_timeout=10"
.venv/bin/python -m pytest -q -p no:cacheprovider -rs examples/event-store/tests "$@"
echo "test-postgres: passed in $((SECONDS - began)) s"
