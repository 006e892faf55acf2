#!/usr/bin/env bash
# make bench: load-test the hot paths through the gateway with wrk, on loopback only.
#
# Uses the platform at LATCHKEY_PUBLIC_URL (default http://localhost:4430) when it is healthy;
# otherwise starts it with `scripts/run.sh --background` and stops it at the end. A platform this
# script did not start is never stopped.
#
# The bench itself is tools/Latchkey.Bench (C#, through the Latchkey.Client SDK): it creates a
# throwaway project "bench" (deleted at the end), a project API key, a client_credentials client and
# an authorization_code + refresh_token client, runs wrk for each scenario and prints the table:
#
#   token-client-credentials      POST /oauth2/token, client_credentials (opaque access tokens)
#   introspection                 POST /admin/oauth2/introspect of one access token
#   discovery                     GET /.well-known/openid-configuration
#   token-refresh                 POST /oauth2/token, refresh_token (scripts/bench/refresh.lua)
#   token-client-credentials-jwt  POST /oauth2/token, client_credentials with JWT (RS256) access tokens
#
# With a peer (below), each scenario runs against Latchkey and then against node-oidc-provider, and the table has
# both rates, their ratio (Latchkey / peer), both latencies, and the CPU microseconds per request of oauth2, the
# gateway and the peer (process CPU time over the run / requests: it holds when the box is busy, the rates do not).
# oauth2 and gateway CPU need the pid file of `scripts/run.sh --background` (.local/run.pids).
#
# The refresh_token scenario spends a pool of refresh tokens, each from a whole authorization-code
# flow (PKCE S256, login and consent accepted through the admin API as a Hydra login app would, an
# HttpClient with a cookie container as the browser). Every refresh rotates its token, so refresh.lua
# deals the pool out to the wrk threads and sends each token once; the warm-up's unspent tokens are
# reused and topped up.
#
# Knobs (environment):
#   BENCH_DURATION      10s   each measured run (wrk's -d)
#   BENCH_THREADS       2     wrk's -t
#   BENCH_CONNECTIONS   32    wrk's -c
#   BENCH_WARMUP        3s    an unmeasured run before each scenario; 0 = none
#   BENCH_REFRESH_POOL  2 x BENCH_CONNECTIONS; must be more than BENCH_CONNECTIONS
#   BENCH_MINT_JOBS     4     authorization-code flows minted at a time
#   BENCH_SCENARIOS     all   else a space-separated subset of the names above
#   BENCH_ALLOC         1     allocations per request of oauth2 and the gateway with dotnet-counters
#                             (installed with `dotnet tool install -g dotnet-counters` when missing); 0 = off
#   BENCH_TRACE         0     1 = also a sampling dotnet-trace of oauth2 and the gateway per scenario, with its
#                             top frames in .local/bench/<scenario>.<service>.top.txt (the CPU figures of a
#                             traced run include the tracing; installs dotnet-trace like dotnet-counters)
#   BENCH_PEER          1 when BENCH_PEER_DIR exists, else 0: also run node-oidc-provider (its README)
#   BENCH_PEER_DIR      ../shared/peers/oidc-provider (from the repo root); copied to .local/peer-oidc-provider
#                       and installed there with npm ci (the shared folder may be read-only)
# The platform's port: LATCHKEY_PUBLIC_URL, else LATCHKEY_GATEWAY_PORT (as for scripts/run.sh);
# LATCHKEY_DOMAIN (localhost); the workspace key: LATCHKEY_WORKSPACE_KEY, else the one make run wrote.
# Raw wrk output goes to .local/bench/.
#
# `scripts/bench.sh --scale N` (make bench-scale, N = BENCH_SCALE_PROJECTS, 10000): seeds N projects through the
# control-plane API (project, API key, client, one token each; 8 at a time; deleted at the end), then measures
# tokens for one hot project, tokens across random projects (scripts/bench/scale.lua), introspection across
# random projects, and prints the RSS of each service. No peer.
set -euo pipefail

SCALE_ARGS=()
if [ "${1:-}" = --scale ]; then
  [ -n "${2:-}" ] || { echo "usage: scripts/bench.sh [--scale PROJECTS]" >&2; exit 2; }
  SCALE_ARGS=(--scale "$2")
  BENCH_PEER=0
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

PUBLIC_URL="${LATCHKEY_PUBLIC_URL:-http://localhost:${LATCHKEY_GATEWAY_PORT:-4430}}"
PUBLIC_URL="${PUBLIC_URL%/}"
DOMAIN="${LATCHKEY_DOMAIN:-localhost}"
hostport="${PUBLIC_URL#*://}"
hostport="${hostport%%/*}"
case "$hostport" in
*:*) GW_PORT="${hostport##*:}" ;;
*) GW_PORT=80 ;;
esac
# Every request goes to loopback over plain HTTP; the Host header selects api / project.
GW="http://127.0.0.1:$GW_PORT"

ensure_dotnet
ensure_commands curl wrk

if [ "${BENCH_ALLOC:-1}" = 1 ]; then
  COUNTERS="$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")"
  if [ ! -x "$COUNTERS" ]; then
    lk_log "installing dotnet-counters (dotnet tool install -g)"
    dotnet tool install -g dotnet-counters >/dev/null || lk_die "cannot install dotnet-counters (BENCH_ALLOC=0 skips it)"
  fi
  export BENCH_COUNTERS="$COUNTERS"
fi

if [ "${BENCH_TRACE:-0}" = 1 ]; then
  TRACE="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
  if [ ! -x "$TRACE" ]; then
    lk_log "installing dotnet-trace (dotnet tool install -g)"
    dotnet tool install -g dotnet-trace >/dev/null || lk_die "cannot install dotnet-trace"
  fi
  export BENCH_TRACE="$TRACE"
else
  unset BENCH_TRACE
fi

PEER_DIR="${BENCH_PEER_DIR:-$ROOT/../shared/peers/oidc-provider}"
if [ -d "$PEER_DIR" ]; then BENCH_PEER="${BENCH_PEER:-1}"; else BENCH_PEER="${BENCH_PEER:-0}"; fi
PEER_ARGS=()
if [ "$BENCH_PEER" = 1 ]; then
  [ -f "$PEER_DIR/server.mjs" ] || lk_die "BENCH_PEER=1 but $PEER_DIR has no server.mjs (set BENCH_PEER_DIR)"
  ensure_commands node npm
  PEER_RUN="$ROOT/.local/peer-oidc-provider"
  # Reinstalled only when the peer's lock file changed.
  if ! cmp -s "$PEER_DIR/package-lock.json" "$PEER_RUN/package-lock.json" || [ ! -d "$PEER_RUN/node_modules" ]; then
    lk_log "installing the peer (node-oidc-provider) in .local/peer-oidc-provider"
    rm -rf "$PEER_RUN"
    mkdir -p "$PEER_RUN"
    cp "$PEER_DIR"/package.json "$PEER_DIR"/package-lock.json "$PEER_DIR"/server.mjs "$PEER_RUN"/
    (cd "$PEER_RUN" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || lk_die "npm ci of the peer failed"
  fi
  cp "$PEER_DIR/server.mjs" "$PEER_RUN/server.mjs"
  PEER_ARGS=(--peer "$PEER_RUN")
fi

gateway_healthy() {
  curl -fsS -o /dev/null --max-time 3 "$GW/health/ready" 2>/dev/null ||
    curl -fsS -o /dev/null --max-time 3 -H "Host: $DOMAIN" "$GW/health/ready" 2>/dev/null
}

STARTED_PLATFORM=0
finish() {
  local rc=$?
  if [ "$STARTED_PLATFORM" = 1 ]; then
    bash "$ROOT/scripts/stop.sh" || true
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

lk_log "building tools/Latchkey.Bench"
if ! build_log="$(dotnet build "$ROOT/tools/Latchkey.Bench/Latchkey.Bench.csproj" -c Release -nologo -v quiet -o "$ROOT/.local/bench-tool" 2>&1)"; then
  printf '%s\n' "$build_log" >&2
  lk_die "tools/Latchkey.Bench does not build"
fi

if ! gateway_healthy; then
  lk_log "no healthy gateway at $GW; starting the platform (scripts/run.sh --background)"
  # run.sh stops what it started when it fails; stop.sh is for what it started and left running (and
  # must not stop a platform that run.sh refused to start twice).
  bash "$ROOT/scripts/run.sh" --background || lk_die "scripts/run.sh could not start the platform"
  STARTED_PLATFORM=1
  gateway_healthy || lk_die "the gateway did not become healthy"
fi

WORKSPACE_KEY="${LATCHKEY_WORKSPACE_KEY:-${LATCHKEY_BOOTSTRAP_WORKSPACE_KEY:-}}"
KEY_FILE="${LATCHKEY_STATE_DIR:-$ROOT/.local}/workspace-api-key"
if [ -z "$WORKSPACE_KEY" ] && [ -s "$KEY_FILE" ]; then
  WORKSPACE_KEY="$(head -n 1 "$KEY_FILE" | tr -d '\r\n')"
fi
[ -n "$WORKSPACE_KEY" ] || lk_die "no workspace API key: set LATCHKEY_WORKSPACE_KEY or start with make run ($KEY_FILE)"

# Not exec: the EXIT trap still has to stop a platform this script started.
LATCHKEY_PUBLIC_URL="$GW" LATCHKEY_DOMAIN="$DOMAIN" LATCHKEY_WORKSPACE_KEY="$WORKSPACE_KEY" \
  dotnet "$ROOT/.local/bench-tool/latchkey-bench.dll" --out "$ROOT/.local/bench" --scripts "$ROOT/scripts/bench" \
  --pids "$ROOT/.local/run.pids" "${PEER_ARGS[@]}" "${SCALE_ARGS[@]}"
