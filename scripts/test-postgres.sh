#!/usr/bin/env bash
# Makes sure a local PostgreSQL server is running for the tests and prints, as the only line on
# stdout, the SQLAlchemy URL of the test database:
#   postgresql+psycopg://phieu_test:phieu_test@127.0.0.1:<port>/phieu_test
# Everything else goes to stderr. `make test` passes that URL to pytest as TEST_DATABASE_URL.
#
# Uses Debian's cluster tools (postgresql-common: pg_lsclusters, pg_ctlcluster, pg_createcluster),
# installed by `scripts/install-system-deps.sh --test`. It starts an existing cluster if it is down
# (clearing stale lock files an unclean stop left behind), creates one if there is none, creates the
# login role and database phieu_test if missing, and waits until the server accepts connections on
# 127.0.0.1. Idempotent; when all is already in place it only checks. Works as root without systemd
# (a container) and, through sudo, as another user.
set -euo pipefail

readonly NAME=phieu_test      # role, password and database
readonly HOST=127.0.0.1
readonly WAIT_SECONDS=60

log() { echo "test-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

sudo=""
[[ $(id -u) -eq 0 || $(id -un) == postgres ]] || sudo="sudo"
# Runs a command as the postgres user, from / (its home may not be readable from here).
as_postgres() {
  if [[ $(id -un) == postgres ]]; then (cd / && "$@")
  elif [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u postgres -- "$@")
  else (cd / && sudo -u postgres -- "$@")
  fi
}

command -v pg_lsclusters >/dev/null && command -v pg_ctlcluster >/dev/null \
  || die "PostgreSQL is not installed (Debian's postgresql package); run scripts/install-system-deps.sh --test"

# The clusters whose server binaries are installed: "version name port status", running ones first,
# then the highest version, preferring one named main.
clusters() {
  local ver name port status rest
  pg_lsclusters --no-header 2>/dev/null | while read -r ver name port status rest; do
    [[ -x /usr/lib/postgresql/$ver/bin/postgres ]] || continue
    local online=1 main=1
    [[ $status == online* ]] && online=0
    [[ $name == main ]] && main=0
    echo "$online $ver $main $name $port $status"
  done | sort -k1,1n -k2,2Vr -k3,3n | awk '{print $2, $4, $5, $6}'
}

# Is $1 the pid of a running postgres server (not a recycled pid now used by something else)?
is_postgres_pid() {
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  local exe
  exe=$($sudo readlink "/proc/$1/exe" 2>/dev/null) || return 1
  [[ $(basename "$exe") == postgres ]]
}

# A column of the cluster's pg_lsclusters line: 4 status, 6 data directory.
cluster_field() {
  pg_lsclusters --no-header 2>/dev/null | awk -v v="$1" -v c="$2" -v f="$3" '$1 == v && $2 == c {print $f}'
}

# Before starting a cluster that is down: remove lock files whose pid no longer is a postgres server
# (after kill -9, a crash or a container restart the pid may have been reused by another process,
# and then postgres refuses to start). pg_ctlcluster itself only recognises some of these cases.
clear_stale_locks() {
  local ver=$1 name=$2 port=$3 datadir sockdir pid file
  datadir=$(cluster_field "$ver" "$name" 6)
  sockdir=$(pg_conftool -s "$ver" "$name" show unix_socket_directories 2>/dev/null || echo /var/run/postgresql)
  sockdir=${sockdir%%,*}
  for file in "$datadir/postmaster.pid" "$sockdir/.s.PGSQL.$port.lock"; do
    $sudo test -e "$file" || continue
    pid=$($sudo head -n 1 "$file" 2>/dev/null || true)
    if ! is_postgres_pid "$pid"; then
      log "removing stale $file (pid ${pid:-?} is not a running postgres)"
      $sudo rm -f "$file"
    fi
  done
  # A reboot empties /run: the default socket directory has to be there for the server to start.
  if [[ $sockdir == /var/run/postgresql || $sockdir == /run/postgresql ]] && [[ ! -d $sockdir ]]; then
    $sudo install -d -m 2775 -o postgres -g postgres "$sockdir"
  fi
}

start_cluster() {
  local ver=$1 name=$2 port=$3 attempt
  for attempt in 1 2 3; do
    clear_stale_locks "$ver" "$name" "$port"
    log "starting PostgreSQL $ver/$name (port $port)"
    $sudo pg_ctlcluster "$ver" "$name" start >&2 && return 0
    # Right after an unclean stop the old server's children may still hold its shared memory.
    sleep 2
    [[ $(cluster_field "$ver" "$name" 4) == online* ]] && return 0
  done
  die "could not start PostgreSQL $ver/$name (pg_ctlcluster showed its log above)"
}

# Can the tests log in? Over TCP with the password, into their database, which they own.
can_log_in() {
  [[ $(PGPASSWORD=$NAME PGCONNECT_TIMEOUT=5 psql -X -q -At -h "$HOST" -p "$port" -U "$NAME" -d "$NAME" \
         -c 'SELECT pg_get_userbyid(datdba) = current_user FROM pg_database WHERE datname = current_database()' \
         2>/dev/null) == t ]]
}

read -r ver name port status < <(clusters) || true
if [[ -z ${ver:-} ]]; then
  ver=$(ls /usr/lib/postgresql/*/bin/postgres 2>/dev/null | awk -F/ '{print $5}' | sort -V | tail -n 1 || true)
  [[ -n $ver ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql; run scripts/install-system-deps.sh --test"
  log "no PostgreSQL cluster yet: creating $ver/main"
  $sudo pg_createcluster --locale C.UTF-8 "$ver" main >&2
  read -r ver name port status < <(clusters) || true
  [[ -n ${ver:-} ]] || die "pg_createcluster did not create a cluster"
fi

if [[ $status != online* ]]; then
  start_cluster "$ver" "$name" "$port"
fi

waited=0
until pg_isready -q -h "$HOST" -p "$port" -t 1; do
  (( waited > 0 )) || log "waiting for PostgreSQL $ver/$name on $HOST:$port"
  (( waited++ < WAIT_SECONDS * 4 )) \
    || die "PostgreSQL $ver/$name does not accept connections on $HOST:$port (its listen_addresses?)"
  sleep 0.25
done
log "PostgreSQL $ver/$name is running on $HOST:$port"

if ! can_log_in; then
  log "creating the role and database $NAME"
  as_postgres psql --cluster "$ver/$name" -X -q -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
SELECT 'CREATE ROLE $NAME' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAME')\gexec
ALTER ROLE $NAME LOGIN PASSWORD '$NAME';
SELECT 'CREATE DATABASE $NAME OWNER $NAME' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$NAME')\gexec
ALTER DATABASE $NAME OWNER TO $NAME;
SQL
  can_log_in || die "cannot log in as $NAME on $HOST:$port (see the pg_hba.conf of $ver/$name)"
fi

echo "postgresql+psycopg://$NAME:$NAME@$HOST:$port/$NAME"
