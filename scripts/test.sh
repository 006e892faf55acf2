#!/usr/bin/env bash
# make test: build, run every test project of Platform.sln, and end with the line `N passed, N failed`.
#
# Tests need PostgreSQL and Redis. With LATCHKEY_TEST_POSTGRES / LATCHKEY_TEST_REDIS set, those are
# used. Otherwise, when a Docker engine answers, the fixtures use Testcontainers; when none does (CI),
# this script runs a throwaway PostgreSQL (.local/test-postgres, 127.0.0.1:4450, fsync off) and Redis
# (.local/test-redis, 127.0.0.1:4451) for the duration of the run.
#
# Extra arguments go to `dotnet test` (e.g. scripts/test.sh --filter "FullyQualifiedName~Clients").
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

LOCAL="$ROOT/.local"
RESULTS="$LOCAL/test-results"
PG_DIR="$LOCAL/test-postgres"
REDIS_DIR="$LOCAL/test-redis"
PG_PORT="${LATCHKEY_TEST_PG_PORT:-4450}"
REDIS_PORT="${LATCHKEY_TEST_REDIS_PORT:-4451}"
mkdir -p "$LOCAL"

ensure_dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# --- throwaway PostgreSQL / Redis ------------------------------------------------------------------
CLEANED=0
cleanup() {
  [ "$CLEANED" = 1 ] && return 0
  CLEANED=1
  if [ "$LK_STARTED_REDIS" = 1 ]; then stop_redis "$REDIS_DIR" >/dev/null 2>&1 || true; fi
  if [ "$LK_STARTED_POSTGRES" = 1 ]; then
    stop_postgres "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

docker_engine() {
  command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1
}

if [ -z "${LATCHKEY_TEST_POSTGRES:-}" ] || [ -z "${LATCHKEY_TEST_REDIS:-}" ]; then
  if docker_engine; then
    lk_log "Docker engine found: test fixtures use Testcontainers for what is not configured"
  else
    (
      set -e
      ensure_packages
    ) || exit 1
    if [ -z "${LATCHKEY_TEST_POSTGRES:-}" ]; then
      # Throwaway: a leftover from an interrupted run is stopped and wiped.
      stop_postgres "$PG_DIR" || true
      rm -rf "$PG_DIR"
      start_postgres "$PG_DIR" "$PG_PORT" test || exit 1
      export LATCHKEY_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=latchkey;Database=postgres"
    fi
    if [ -z "${LATCHKEY_TEST_REDIS:-}" ]; then
      stop_redis "$REDIS_DIR" || true
      start_redis "$REDIS_DIR" "$REDIS_PORT" test || exit 1
      export LATCHKEY_TEST_REDIS="127.0.0.1:$REDIS_PORT"
    fi
  fi
fi
[ -n "${LATCHKEY_TEST_POSTGRES:-}" ] && lk_log "LATCHKEY_TEST_POSTGRES=$LATCHKEY_TEST_POSTGRES"
[ -n "${LATCHKEY_TEST_REDIS:-}" ] && lk_log "LATCHKEY_TEST_REDIS=$LATCHKEY_TEST_REDIS"

# --- browser ----------------------------------------------------------------------------------------
# The console's Playwright tests drive Debian's Chromium (Playwright's own browser download does not
# work here); LATCHKEY_TEST_CHROMIUM points them at another Chromium instead.
if [ -z "${LATCHKEY_TEST_CHROMIUM:-}" ]; then
  (
    set -e
    ensure_commands chromium
  ) || exit 1
fi

# --- build and test --------------------------------------------------------------------------------
lk_log "dotnet build Platform.sln -c Release"
if ! dotnet build "$ROOT/Platform.sln" -c Release -nologo; then
  cleanup
  lk_log "build failed"
  exit 1
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
hang_args=()
# A hung test is killed (and reported) instead of eating CI's whole time budget.
if [ -n "${LATCHKEY_TEST_HANG_TIMEOUT-15m}" ]; then
  hang_args=(--blame-hang-timeout "${LATCHKEY_TEST_HANG_TIMEOUT-15m}" --blame-hang-dump-type none)
fi
lk_log "dotnet test Platform.sln -c Release --no-build"
# One test assembly at a time (-m:1): each starts the whole platform, and on a 2-core machine
# running them side by side only turns timeouts into failures.
dotnet test "$ROOT/Platform.sln" -c Release --no-build -nologo -m:1 \
  --logger "trx;LogFilePrefix=r" --results-directory "$RESULTS" "${hang_args[@]}" "$@" 2>&1 |
  tee "$LOCAL/test-output.log"
test_rc=${PIPESTATUS[0]}

cleanup

# --- summary ---------------------------------------------------------------------------------------
# shellcheck source=scripts/trx-summary.sh
source "$ROOT/scripts/trx-summary.sh"
read -r passed failed total files < <(trx_summary "$RESULTS")

# Cross-check with the per-assembly console lines ("Passed!  - Failed: 0, Passed: 3, Skipped: 0,
# Total: 3, ..."): the trx logger names files by the second, so two assemblies finishing in the same
# second could leave one file. Should the console report more assemblies than files, trust it.
read -r c_passed c_failed c_total c_runs < <(
  sed -n 's/^.*\(Passed\|Failed\)! *- *Failed: *\([0-9]*\), *Passed: *\([0-9]*\), *Skipped: *[0-9]*, *Total: *\([0-9]*\).*$/\3 \2 \4/p' \
    "$LOCAL/test-output.log" | awk '{p += $1; f += $2; t += $3; n++} END {print p + 0, f + 0, t + 0, n + 0}'
)
if [ "$c_runs" -gt "$files" ]; then
  lk_log "$c_runs test assemblies reported but $files .trx files found; counting from the console output"
  passed=$c_passed failed=$c_failed total=$c_total files=$c_runs
fi

rc=0
if [ "$files" -eq 0 ]; then
  lk_log "no .trx result files under .local/test-results"
  rc=1
elif [ "$total" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  lk_log "no test ran"
  rc=1
fi
if [ "$failed" -gt 0 ]; then rc=1; fi
if [ "$test_rc" -ne 0 ]; then
  lk_log "dotnet test exited with $test_rc"
  rc=1
fi
echo "$passed passed, $failed failed"
exit "$rc"
