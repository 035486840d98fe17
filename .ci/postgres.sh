# A real PostgreSQL for the server tests (see ../shared/POSTGRES.md).
#
#   apt-get update            # the caller's job, once
#   . .ci/postgres.sh         # installs if missing, starts if down, creates role + db,
#                             # exports PROMPTOPS_TEST_DATABASE_URL
#   ...run tests...
#   postgres_stop             # stops the cluster only if this script started it
#
# Safe to source twice: every step checks before it acts. Written to be sourced, so it
# never calls `exit` or `set -e` (that would change or end the caller's shell).

PROMPTOPS_PG_ROLE="${PROMPTOPS_PG_ROLE:-promptops}"
PROMPTOPS_PG_PASSWORD="${PROMPTOPS_PG_PASSWORD:-promptops}"
PROMPTOPS_PG_DATABASE="${PROMPTOPS_PG_DATABASE:-promptops_test}"

_postgres_log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# The newest installed cluster version (`ls /etc/postgresql` gives e.g. "15").
_postgres_version() {
  ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1
}

_postgres_psql() {
  su postgres -c "psql -X -q -v ON_ERROR_STOP=1 -tA $*"
}

postgres_start() {
  if [ -z "$(_postgres_version)" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    _postgres_log "installing postgresql (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || {
      _postgres_log "apt-get install postgresql failed (did you run apt-get update?)"
      return 1
    }
  fi
  local version
  version="$(_postgres_version)"
  if [ -z "$version" ]; then
    _postgres_log "no cluster under /etc/postgresql after install"
    return 1
  fi
  PROMPTOPS_PG_VERSION="$version"

  # pg_ctlcluster exits 3 when the cluster is down.
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    _postgres_log "starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || {
      _postgres_log "pg_ctlcluster start failed"
      return 1
    }
    export PROMPTOPS_PG_STARTED_BY_SCRIPT="$version"
  fi

  local tries=0
  until su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      _postgres_log "server not accepting connections after 30 s"
      return 1
    fi
    sleep 0.5
  done

  if [ "$(_postgres_psql -c "\"SELECT 1 FROM pg_roles WHERE rolname = '$PROMPTOPS_PG_ROLE'\"")" != "1" ]; then
    _postgres_psql -c "\"CREATE ROLE $PROMPTOPS_PG_ROLE LOGIN PASSWORD '$PROMPTOPS_PG_PASSWORD' CREATEDB\"" || return 1
  fi
  if [ "$(_postgres_psql -c "\"SELECT 1 FROM pg_database WHERE datname = '$PROMPTOPS_PG_DATABASE'\"")" != "1" ]; then
    _postgres_psql -c "\"CREATE DATABASE $PROMPTOPS_PG_DATABASE OWNER $PROMPTOPS_PG_ROLE\"" || return 1
  fi

  export PROMPTOPS_TEST_DATABASE_URL="postgres://$PROMPTOPS_PG_ROLE:$PROMPTOPS_PG_PASSWORD@127.0.0.1:5432/$PROMPTOPS_PG_DATABASE"
  _postgres_log "ready: PROMPTOPS_TEST_DATABASE_URL=$PROMPTOPS_TEST_DATABASE_URL"
}

postgres_stop() {
  if [ -n "${PROMPTOPS_PG_STARTED_BY_SCRIPT:-}" ]; then
    _postgres_log "stopping cluster $PROMPTOPS_PG_STARTED_BY_SCRIPT/main (started by this script)"
    pg_ctlcluster --skip-systemctl-redirect "$PROMPTOPS_PG_STARTED_BY_SCRIPT" main stop
    unset PROMPTOPS_PG_STARTED_BY_SCRIPT
  else
    _postgres_log "cluster was already running before this script; leaving it up"
  fi
}

postgres_start
