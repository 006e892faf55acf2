#!/usr/bin/env bash
# make stop: stop what `scripts/run.sh --background` started (listed in .local/run.pids).
#   --all   also stop any private PostgreSQL / Redis still running under .local/
#           (run, test and bench leftovers), whoever started them
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

ALL=0
for arg in "$@"; do
  case "$arg" in
  --all) ALL=1 ;;
  *) lk_die "unknown argument: $arg" ;;
  esac
done

LOCAL="$ROOT/.local"
PIDS_FILE="$LOCAL/run.pids"

# A pid is ours only while its command line still names our build output (pids get reused).
is_latchkey_service() {
  local pid="$1"
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Latchkey\.'
}

if [ -f "$PIDS_FILE" ]; then
  pids=()
  pg_dirs=()
  redis_dirs=()
  while read -r kind name value; do
    case "$kind" in
    service)
      if is_latchkey_service "$value"; then
        kill -TERM "$value" 2>/dev/null || true
        pids+=("$value")
        lk_log "stopping $name (pid $value)"
      fi
      ;;
    postgres) pg_dirs+=("$name") ;;
    redis) redis_dirs+=("$name") ;;
    esac
  done <"$PIDS_FILE"
  for ((i = 0; i < 200; i++)); do
    alive=0
    for pid in "${pids[@]}"; do pid_alive "$pid" && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    if pid_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for d in "${redis_dirs[@]}"; do stop_redis "$d"; done
  for d in "${pg_dirs[@]}"; do stop_postgres "$d"; done
  rm -f "$PIDS_FILE"
elif [ "$ALL" = 0 ]; then
  lk_log "nothing to stop (no .local/run.pids)"
fi

if [ "$ALL" = 1 ]; then
  for d in "$LOCAL/redis" "$LOCAL/test-redis"; do stop_redis "$d"; done
  for d in "$LOCAL/postgres" "$LOCAL/test-postgres"; do stop_postgres "$d"; done
fi
exit 0
