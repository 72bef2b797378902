#!/usr/bin/env bash
# Starts a private PostgreSQL cluster in a temporary folder, listening on
# 127.0.0.1 only, and prints the connection URI (no password: trust on
# loopback, for tests and demos only).
#
#   eval "$(scripts/start-postgres.sh)"     # exports SPARKIFY_TEST_PG
#
# Env: SPARKIFY_PG_PORT (default 54329), SPARKIFY_PG_DIR (default a new temp
# folder). Stop it with scripts/stop-postgres.sh.
set -euo pipefail
port=${SPARKIFY_PG_PORT:-54329}
dir=${SPARKIFY_PG_DIR:-$(mktemp -d /tmp/sparkify-pg.XXXXXX)}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/initdb" ]] || { echo "start-postgres: PostgreSQL server binaries not found (run scripts/install-deps.sh)" >&2; exit 1; }

# initdb and postgres refuse to run as root: run them as the postgres user.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  as_owner=(runuser -u postgres --)
  chown postgres: "$dir"
  chmod 700 "$dir"
fi
if [[ ! -f "$dir/data/PG_VERSION" ]]; then
  "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --locale=C.UTF-8 --encoding=UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi
# fsync off: a throwaway cluster, for tests and benchmarks (both sides of
# a comparison run on the same settings).
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c shared_buffers=512MB" >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "$dir" >"${TMPDIR:-/tmp}/sparkify-pg-$port.dir"
echo "export SPARKIFY_TEST_PG=postgresql://postgres@127.0.0.1:$port/postgres"
echo "export SPARKIFY_PG_DATA=$dir/data"
