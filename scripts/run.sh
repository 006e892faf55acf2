#!/usr/bin/env bash
# make run: start the whole platform on this machine.
#
#   scripts/run.sh                 start, print URLs and the workspace key, stay in the foreground;
#                                  Ctrl-C (or TERM) stops exactly what this script started
#   scripts/run.sh --background    start, print, return; pids go to .local/run.pids (scripts/stop.sh)
#   scripts/run.sh --no-build      skip `dotnet build` (use the last Release build)
#
# Without LATCHKEY_DATABASE_URL / LATCHKEY_REDIS_URL it runs a private PostgreSQL (.local/postgres,
# 127.0.0.1:4440) and Redis (.local/redis, 127.0.0.1:4441). Data survives between runs.
# Ports: LATCHKEY_GATEWAY_PORT (4430), LATCHKEY_CONTROL_PLANE_PORT (4431), LATCHKEY_OAUTH2_PORT (4432),
# LATCHKEY_CONSOLE_PORT (4433), LATCHKEY_PG_PORT (4440), LATCHKEY_REDIS_PORT (4441); the public URL
# follows the gateway port unless LATCHKEY_PUBLIC_URL is set. scripts/bench.sh reads the same variables.
# LATCHKEY_REPLICAS=N (1): N processes of each stateless service (control plane, oauth2, console) behind
# the one gateway, which balances over them; the first keeps its port, the others take consecutive ports
# from LATCHKEY_REPLICA_PORT_BASE (4470). LATCHKEY_RATE_LIMITS (false here): the gateway's per-project limits.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

BACKGROUND=0
BUILD=1
for arg in "$@"; do
  case "$arg" in
  --background | -d) BACKGROUND=1 ;;
  --no-build) BUILD=0 ;;
  -h | --help)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) lk_die "unknown argument: $arg (try --help)" ;;
  esac
done

LOCAL="$ROOT/.local"
LOGS="$LOCAL/logs"
PIDS_FILE="$LOCAL/run.pids"
PG_DIR="$LOCAL/postgres"
REDIS_DIR="$LOCAL/redis"
PG_PORT="${LATCHKEY_PG_PORT:-4440}"
REDIS_PORT="${LATCHKEY_REDIS_PORT:-4441}"
mkdir -p "$LOCAL" "$LOGS"

# Services in start order: the control plane first (it owns projects and creates the bootstrap
# workspace), the gateway last (it routes to the others). Sequential starts also keep the services
# from applying their database schemas at the same moment.
REPLICAS="${LATCHKEY_REPLICAS:-1}"
[[ "$REPLICAS" =~ ^[1-9][0-9]?$ ]] && [ "$REPLICAS" -le 16 ] || lk_die "LATCHKEY_REPLICAS must be a number from 1 to 16, not '$REPLICAS'"
SERVICES=(control-plane oauth2 console gateway)
declare -A PROJECT=(
  [gateway]=services/gateway/src/Latchkey.Gateway
  [control-plane]=services/control-plane/src/Latchkey.ControlPlane
  [oauth2]=services/oauth2/src/Latchkey.OAuth2
  [console]=services/console-ui/src/Latchkey.Console
)
declare -A ASSEMBLY=(
  [gateway]=Latchkey.Gateway
  [control-plane]=Latchkey.ControlPlane
  [oauth2]=Latchkey.OAuth2
  [console]=Latchkey.Console
)
declare -A PORT=(
  [gateway]="${LATCHKEY_GATEWAY_PORT:-4430}"
  [control-plane]="${LATCHKEY_CONTROL_PLANE_PORT:-4431}"
  [oauth2]="${LATCHKEY_OAUTH2_PORT:-4432}"
  [console]="${LATCHKEY_CONSOLE_PORT:-4433}"
)
# Replicas 2..N of the stateless services: instances named <service>-<n>, of the same kind, on consecutive ports.
declare -A KIND=([gateway]=gateway [control-plane]=control-plane [oauth2]=oauth2 [console]=console)
NEXT_PORT="${LATCHKEY_REPLICA_PORT_BASE:-4470}"
declare -A URLS=()
for svc in control-plane oauth2 console; do
  URLS[$svc]="http://127.0.0.1:${PORT[$svc]}"
  for ((n = 2; n <= REPLICAS; n++)); do
    KIND[$svc-$n]="$svc"
    PORT[$svc-$n]="$NEXT_PORT"
    URLS[$svc]+=",http://127.0.0.1:$NEXT_PORT"
    NEXT_PORT=$((NEXT_PORT + 1))
  done
done
if [ "$REPLICAS" -gt 1 ]; then
  INSTANCES=()
  for svc in control-plane oauth2 console; do
    INSTANCES+=("$svc")
    for ((n = 2; n <= REPLICAS; n++)); do INSTANCES+=("$svc-$n"); done
  done
  SERVICES=("${INSTANCES[@]}" gateway)
fi
declare -A PID=()
STARTED=() # services started by this run, in start order

# --- stopping what we started ----------------------------------------------------------------------
CLEANED=0
cleanup() {
  [ "$CLEANED" = 1 ] && return 0
  CLEANED=1
  trap - INT TERM
  local svc pid pids=() i
  for svc in "${STARTED[@]}"; do
    pid="${PID[$svc]}"
    if pid_alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    lk_log "stopping services: ${STARTED[*]}"
    for ((i = 0; i < 200; i++)); do
      local alive=0
      for pid in "${pids[@]}"; do pid_alive "$pid" && alive=1; done
      [ "$alive" = 0 ] && break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  fi
  if [ "$LK_STARTED_REDIS" = 1 ]; then stop_redis "$REDIS_DIR" || true; fi
  if [ "$LK_STARTED_POSTGRES" = 1 ]; then stop_postgres "$PG_DIR" || true; fi
  rm -f "$PIDS_FILE"
}
on_signal() {
  echo >&2
  cleanup
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM HUP

# --- preflight -------------------------------------------------------------------------------------
ensure_dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ -f "$PIDS_FILE" ]; then
  while read -r kind name pid; do
    if [ "$kind" = service ] && pid_alive "$pid"; then
      trap - EXIT
      lk_die "Latchkey is already running in the background ($name, pid $pid); stop it with: make stop"
    fi
  done <"$PIDS_FILE"
  rm -f "$PIDS_FILE"
fi
for svc in "${SERVICES[@]}"; do
  if port_in_use "${PORT[$svc]}"; then
    trap - EXIT
    lk_die "port ${PORT[$svc]} ($svc) on 127.0.0.1 is already in use"
  fi
done

if [ -z "${LATCHKEY_DATABASE_URL:-}" ] || [ -z "${LATCHKEY_REDIS_URL:-}" ]; then
  ensure_packages
else
  ensure_commands curl
fi

# --- PostgreSQL and Redis --------------------------------------------------------------------------
if [ -z "${LATCHKEY_DATABASE_URL:-}" ]; then
  start_postgres "$PG_DIR" "$PG_PORT" run
  # Every process shares max_connections=200: cap each pool well below its share (40 for the usual four).
  POOL=$((160 / ${#SERVICES[@]}))
  [ "$POOL" -gt 40 ] && POOL=40
  export LATCHKEY_DATABASE_URL="Host=127.0.0.1;Port=$PG_PORT;Username=latchkey;Database=latchkey;Maximum Pool Size=$POOL"
fi
if [ -z "${LATCHKEY_REDIS_URL:-}" ]; then
  start_redis "$REDIS_DIR" "$REDIS_PORT" run
  export LATCHKEY_REDIS_URL="127.0.0.1:$REDIS_PORT"
fi

# --- configuration ---------------------------------------------------------------------------------
if [ -z "${LATCHKEY_SECRETS_SYSTEM:-}" ]; then
  if [ ! -s "$LOCAL/system-secret" ]; then
    (
      umask 077
      od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$LOCAL/system-secret"
    )
    lk_log "generated a system secret in .local/system-secret"
  fi
  LATCHKEY_SECRETS_SYSTEM="$(tr -d '\n' <"$LOCAL/system-secret")"
  export LATCHKEY_SECRETS_SYSTEM
fi
STATE_DIR="${LATCHKEY_STATE_DIR:-$LOCAL}"
mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
export LATCHKEY_STATE_DIR="$STATE_DIR"
# The services run in the Production environment, where the control plane takes the first workspace key
# only from LATCHKEY_BOOTSTRAP_WORKSPACE_KEY: keep one in the state directory (scripts/bench.sh reads it there).
if [ -z "${LATCHKEY_BOOTSTRAP_WORKSPACE_KEY:-}" ]; then
  if [ ! -s "$STATE_DIR/workspace-api-key" ]; then
    (
      umask 077
      printf 'lk_wak_%s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$STATE_DIR/workspace-api-key"
    )
    lk_log "generated a workspace API key in $STATE_DIR/workspace-api-key"
  fi
  LATCHKEY_BOOTSTRAP_WORKSPACE_KEY="$(head -n 1 "$STATE_DIR/workspace-api-key" | tr -d '\r\n')"
  export LATCHKEY_BOOTSTRAP_WORKSPACE_KEY
fi
export LATCHKEY_DOMAIN="${LATCHKEY_DOMAIN:-localhost}"
export LATCHKEY_PUBLIC_URL="${LATCHKEY_PUBLIC_URL:-http://localhost:${PORT[gateway]}}"
# Comma-separated: every replica is a destination of the gateway.
export LATCHKEY_CONTROL_PLANE_URL="${LATCHKEY_CONTROL_PLANE_URL:-${URLS[control-plane]}}"
export LATCHKEY_OAUTH2_URL="${LATCHKEY_OAUTH2_URL:-${URLS[oauth2]}}"
export LATCHKEY_CONSOLE_URL="${LATCHKEY_CONSOLE_URL:-${URLS[console]}}"
# A local run serves one developer, and `make bench` measures the services, not the plan's limits.
export LATCHKEY_RATE_LIMITS="${LATCHKEY_RATE_LIMITS:-false}"
# A local run calls hooks and JWKS URIs on this machine; each project still has to opt in
# (clients/http/disallow_private_ip_ranges: false).
export LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS="${LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS:-true}"

# --- build -----------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  lk_log "building (dotnet build Platform.sln -c Release)"
  dotnet build "$ROOT/Platform.sln" -c Release -nologo -v quiet || lk_die "build failed"
fi

locate_dll() {
  local svc="${KIND[$1]}" asm="${ASSEMBLY[${KIND[$1]}]}" f
  f="$ROOT/${PROJECT[$svc]}/bin/Release/net10.0/$asm.dll"
  if [ -f "$f" ]; then
    echo "$f"
    return 0
  fi
  # UseArtifactsOutput layout, or another target framework folder.
  f="$(find "$ROOT/artifacts/bin/$asm" "$ROOT/${PROJECT[$svc]}/bin/Release" -name "$asm.dll" \
    -path '*elease*' 2>/dev/null | head -n 1 || true)"
  [ -n "$f" ] || return 1
  echo "$f"
}

service_ready() {
  local url="http://127.0.0.1:${PORT[$1]}/health/ready"
  curl -fsS -o /dev/null --max-time 3 "$url" 2>/dev/null && return 0
  # The gateway may route by Host only: ask it as the bare public domain too.
  [ "$1" = gateway ] && curl -fsS -o /dev/null --max-time 3 -H "Host: $LATCHKEY_DOMAIN" "$url" 2>/dev/null
}

start_service() {
  local svc="$1" dll log pid
  dll="$(locate_dll "$svc")" || lk_die "no Release build of ${ASSEMBLY[${KIND[$svc]}]} found (run without --no-build)"
  log="$LOGS/$svc.log"
  [ -f "$log" ] && mv -f "$log" "$log.prev"
  lk_log "starting $svc on http://127.0.0.1:${PORT[$svc]} (log: .local/logs/$svc.log)"
  # setsid: own session, so the terminal's Ctrl-C reaches only this script, which then stops the
  # services in order; and --background services survive the terminal.
  setsid dotnet "$dll" --urls "http://127.0.0.1:${PORT[$svc]}" </dev/null >"$log" 2>&1 &
  pid=$!
  PID[$svc]="$pid"
  STARTED+=("$svc")

  local deadline=$((SECONDS + ${LATCHKEY_READY_TIMEOUT:-120}))
  while ! service_ready "$svc"; do
    if ! pid_alive "$pid"; then
      lk_log "$svc exited during start-up; last lines of .local/logs/$svc.log:"
      tail -n 40 "$log" >&2 || true
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      lk_log "$svc not ready after ${LATCHKEY_READY_TIMEOUT:-120}s; last lines of .local/logs/$svc.log:"
      tail -n 40 "$log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}

for svc in "${SERVICES[@]}"; do
  start_service "$svc"
done

# --- report ----------------------------------------------------------------------------------------
WORKSPACE_KEY="$LATCHKEY_BOOTSTRAP_WORKSPACE_KEY"

# scheme://host[:port] of the public URL -> URLs of the api and console hosts.
PUBLIC_URL="${LATCHKEY_PUBLIC_URL%/}"
SCHEME="${PUBLIC_URL%%://*}"
HOSTPORT="${PUBLIC_URL#*://}"
HOSTPORT="${HOSTPORT%%/*}"
PORT_SUFFIX=""
case "$HOSTPORT" in *:*) PORT_SUFFIX=":${HOSTPORT##*:}" ;; esac
CONSOLE_URL="$SCHEME://console.$LATCHKEY_DOMAIN$PORT_SUFFIX"
API_URL="$SCHEME://api.$LATCHKEY_DOMAIN$PORT_SUFFIX"

if [ "$BACKGROUND" = 1 ]; then
  {
    for svc in "${STARTED[@]}"; do echo "service $svc ${PID[$svc]}"; done
    if [ "$LK_STARTED_POSTGRES" = 1 ]; then echo "postgres $PG_DIR -"; fi
    if [ "$LK_STARTED_REDIS" = 1 ]; then echo "redis $REDIS_DIR -"; fi
  } >"$PIDS_FILE"
fi

cat <<EOF

  Latchkey is running.

    gateway   $PUBLIC_URL
    console   $CONSOLE_URL
    API       $API_URL
    projects  $SCHEME://<slug>.projects.$LATCHKEY_DOMAIN$PORT_SUFFIX

    replicas  $REPLICAS of each of control-plane, oauth2, console (the gateway balances over them)

    workspace API key  $WORKSPACE_KEY
    logs               .local/logs/<service>.log

  For the CLI:
    export LATCHKEY_WORKSPACE_KEY=$WORKSPACE_KEY
    export LATCHKEY_PUBLIC_URL=$PUBLIC_URL

  Tools that do not resolve *.localhost can send the Host header to 127.0.0.1:${PORT[gateway]}:
    curl -H 'Host: api.$LATCHKEY_DOMAIN' -H "Authorization: Bearer \$LATCHKEY_WORKSPACE_KEY" http://127.0.0.1:${PORT[gateway]}/projects

EOF

if [ "$BACKGROUND" = 1 ]; then
  echo "  Running in the background; stop it with: make stop"
  trap - EXIT INT TERM HUP
  exit 0
fi

echo "  Press Ctrl-C to stop."
while true; do
  for svc in "${STARTED[@]}"; do
    if ! pid_alive "${PID[$svc]}"; then
      lk_log "$svc exited unexpectedly; last lines of .local/logs/$svc.log:"
      tail -n 40 "$LOGS/$svc.log" >&2 || true
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
