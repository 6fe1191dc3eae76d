#!/usr/bin/env bash
# Makes sure a local Redis server is running for the tests (the broker of the Celery job tests)
# and prints, as the only line on stdout, its URL: redis://127.0.0.1:<port>/15 (database 15, which
# the tests may empty). Everything else goes to stderr. `make test` passes it on as TEST_REDIS_URL.
#
# Uses Debian's redis-server, installed by `scripts/install-system-deps.sh --test`. Without systemd
# (a container, CI) it starts a server of its own, daemonized, listening on 127.0.0.1 only, with
# no persistence. Idempotent: when a server answers already it only checks.
set -euo pipefail

readonly HOST=127.0.0.1
readonly PORT=${TEST_REDIS_PORT:-6379}
readonly WAIT_SECONDS=30

log() { echo "test-redis: $*" >&2; }
die() { log "$*"; exit 1; }

command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
  || die "Redis is not installed (Debian's redis-server package); run scripts/install-system-deps.sh --test"

if ! redis-cli -h "$HOST" -p "$PORT" ping >/dev/null 2>&1; then
  log "starting redis-server on $HOST:$PORT"
  redis-server --bind "$HOST" --port "$PORT" --daemonize yes --save "" --appendonly no \
    --dir /tmp --logfile /tmp/phieu-test-redis.log >&2
  waited=0
  until redis-cli -h "$HOST" -p "$PORT" ping >/dev/null 2>&1; do
    (( waited++ < WAIT_SECONDS * 4 )) || die "redis-server does not answer on $HOST:$PORT (/tmp/phieu-test-redis.log)"
    sleep 0.25
  done
fi
log "Redis is running on $HOST:$PORT"
echo "redis://$HOST:$PORT/15"
