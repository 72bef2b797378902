#!/usr/bin/env bash
# Stops the cluster that start-postgres.sh started on SPARKIFY_PG_PORT and
# removes its folder.
set -euo pipefail
port=${SPARKIFY_PG_PORT:-54329}
marker="${TMPDIR:-/tmp}/sparkify-pg-$port.dir"
[[ -f "$marker" ]] || exit 0
dir=$(cat "$marker")
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_owner=()
[[ $(id -u) -eq 0 ]] && as_owner=(runuser -u postgres --)
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
rm -rf "$dir" "$marker"
