#!/usr/bin/env bash
# Starts a local PostgreSQL for monban's tests and prints its URL. Idempotent: installs
# Debian's postgresql package only if missing, creates the cluster, role and database only
# if absent. Runs as root (CI and the development machines do).
#
#   export MONBAN_TEST_DATABASE_URL="$(scripts/start-postgres.sh | tail -n1)"
set -euo pipefail

PORT=5432
URL="postgres://monban:monban@127.0.0.1:${PORT}/monban"

log() { echo "start-postgres: $*" >&2; }

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
fi

ver="$(ls /usr/lib/postgresql | sort -V | tail -n1)"

# The package creates a `main` cluster, unless told not to; make sure there is one.
if ! pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    log "creating cluster $ver/main"
    pg_createcluster "$ver" main --port="$PORT" >&2
fi
# Debian's postgresql.conf ends by including conf.d/, so these settings win.
conf_dir="/etc/postgresql/$ver/main/conf.d"
mkdir -p "$conf_dir"
cat >"$conf_dir/monban.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
CONF

status="$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { print $4 }')"
if [ "$status" != "online" ]; then
    log "starting cluster $ver/main"
    pg_ctlcluster "$ver" main start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$PORT" >&2

# psql runs as the postgres superuser over the local socket (peer authentication); `cd /`
# because that user may not read the caller's directory.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

as_postgres psql -X -q -v ON_ERROR_STOP=1 <<'SQL' >&2
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'monban') THEN
        CREATE ROLE monban LOGIN PASSWORD 'monban' CREATEDB;
    ELSE
        ALTER ROLE monban LOGIN PASSWORD 'monban' CREATEDB;
    END IF;
END
$$;
SQL

if [ "$(as_postgres psql -X -tAc "SELECT 1 FROM pg_database WHERE datname = 'monban'")" != "1" ]; then
    log "creating database monban"
    as_postgres createdb -O monban monban >&2
fi

echo "$URL"
