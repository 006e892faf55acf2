#!/usr/bin/env bash
# make bench: load-test the hot paths through the gateway with wrk, on loopback only.
#
# Uses the platform at LATCHKEY_PUBLIC_URL (default http://localhost:4430) when it is healthy;
# otherwise starts it with `scripts/run.sh --background` and stops it at the end.
# Creates a throwaway project "bench" (deleted at the end), a project API key and a
# client_credentials client, then runs wrk for: token issuance, introspection, discovery.
#
# Knobs: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WARMUP (3s, 0 = none).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

DURATION="${BENCH_DURATION:-10s}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP="${BENCH_WARMUP:-3s}"
OUT="$ROOT/.local/bench"
mkdir -p "$OUT"

PUBLIC_URL="${LATCHKEY_PUBLIC_URL:-http://localhost:4430}"
PUBLIC_URL="${PUBLIC_URL%/}"
DOMAIN="${LATCHKEY_DOMAIN:-localhost}"
hostport="${PUBLIC_URL#*://}"
hostport="${hostport%%/*}"
case "$hostport" in
*:*) GW_PORT="${hostport##*:}" ;;
*) GW_PORT=80 ;;
esac
# Every request goes to loopback; the Host header selects api / project.
GW="http://127.0.0.1:$GW_PORT"
API_HOST="api.$DOMAIN"

ensure_commands curl wrk

# --- JSON without requiring jq ---------------------------------------------------------------------
# json_get FIELD < json : top-level string/number field, empty when absent.
if command -v jq >/dev/null 2>&1; then
  json_get() { jq -r --arg k "$1" 'if type == "object" then (.[$k] // empty) else empty end' 2>/dev/null || true; }
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import json' 2>/dev/null; then
  json_get() {
    python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
    v = v.get(sys.argv[1]) if isinstance(v, dict) else None
except Exception:
    v = None
print("" if v is None else v)' "$1"
  }
else
  json_get() {
    # First "FIELD": "value" (or number) in the document: good enough for the flat answers used here.
    tr -d '\r\n' | grep -o "\"$1\"[[:space:]]*:[[:space:]]*\(\"[^\"]*\"\|[0-9][0-9.]*\|true\|false\)" | head -n 1 |
      sed 's/^"[^"]*"[[:space:]]*:[[:space:]]*//; s/^"//; s/"$//' || true
  }
fi

urlencode() {
  local LC_ALL=C s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
    [a-zA-Z0-9.~_-]) out+="$c" ;;
    *)
      printf -v c '%%%02X' "'$c"
      out+="$c"
      ;;
    esac
  done
  printf '%s' "$out"
}

# http METHOD HOST PATH AUTH CONTENT_TYPE [BODY] -> body on stdout; dies unless 2xx.
http() {
  local method="$1" host="$2" path="$3" auth="$4" ctype="$5" body="${6:-}" resp code
  local args=(-sS -X "$method" --max-time 30 -H "Host: $host" -H "Accept: application/json" -w '\n%{http_code}')
  [ -n "$auth" ] && args+=(-H "Authorization: $auth")
  [ -n "$body" ] && args+=(-H "Content-Type: $ctype" --data-binary "$body")
  resp="$(curl "${args[@]}" "$GW$path")" || lk_die "$method $host$path: request failed"
  code="${resp##*$'\n'}"
  resp="${resp%$'\n'*}"
  case "$code" in
  2??) printf '%s' "$resp" ;;
  *) lk_die "$method $host$path answered $code: $resp" ;;
  esac
}

# --- platform --------------------------------------------------------------------------------------
gateway_healthy() {
  curl -fsS -o /dev/null --max-time 3 "$GW/health/ready" 2>/dev/null ||
    curl -fsS -o /dev/null --max-time 3 -H "Host: $DOMAIN" "$GW/health/ready" 2>/dev/null
}

STARTED_PLATFORM=0
PROJECT_ID=""
WORKSPACE_KEY=""
finish() {
  local rc=$?
  if [ -n "$PROJECT_ID" ] && [ -n "$WORKSPACE_KEY" ]; then
    curl -sS -o /dev/null --max-time 10 -X DELETE -H "Host: $API_HOST" \
      -H "Authorization: Bearer $WORKSPACE_KEY" "$GW/projects/$PROJECT_ID" || true
  fi
  if [ "$STARTED_PLATFORM" = 1 ]; then
    bash "$ROOT/scripts/stop.sh" || true
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

if ! gateway_healthy; then
  lk_log "no healthy gateway at $GW; starting the platform (scripts/run.sh --background)"
  STARTED_PLATFORM=1
  bash "$ROOT/scripts/run.sh" --background
  gateway_healthy || lk_die "the gateway did not become healthy"
fi

WORKSPACE_KEY="${LATCHKEY_WORKSPACE_KEY:-${LATCHKEY_BOOTSTRAP_WORKSPACE_KEY:-}}"
KEY_FILE="${LATCHKEY_STATE_DIR:-$ROOT/.local}/workspace-api-key"
if [ -z "$WORKSPACE_KEY" ] && [ -s "$KEY_FILE" ]; then
  WORKSPACE_KEY="$(head -n 1 "$KEY_FILE" | tr -d '\r\n')"
fi
[ -n "$WORKSPACE_KEY" ] || lk_die "no workspace API key: set LATCHKEY_WORKSPACE_KEY or start with make run ($KEY_FILE)"

# --- fixtures --------------------------------------------------------------------------------------
lk_log "creating project, project API key and client"
project="$(http POST "$API_HOST" /projects "Bearer $WORKSPACE_KEY" application/json '{"name":"bench"}')"
PROJECT_ID="$(printf '%s' "$project" | json_get id)"
SLUG="$(printf '%s' "$project" | json_get slug)"
if [ -z "$PROJECT_ID" ] || [ -z "$SLUG" ]; then lk_die "unexpected POST /projects answer: $project"; fi
PROJECT_HOST="$SLUG.projects.$DOMAIN"

token="$(http POST "$API_HOST" "/projects/$PROJECT_ID/tokens" "Bearer $WORKSPACE_KEY" application/json '{"name":"bench"}')"
PROJECT_KEY="$(printf '%s' "$token" | json_get value)"
[ -n "$PROJECT_KEY" ] || lk_die "unexpected POST /projects/{id}/tokens answer: $token"

client="$(http POST "$PROJECT_HOST" /admin/clients "Bearer $PROJECT_KEY" application/json \
  '{"client_name":"bench","grant_types":["client_credentials"],"scope":"read write"}')"
CLIENT_ID="$(printf '%s' "$client" | json_get client_id)"
CLIENT_SECRET="$(printf '%s' "$client" | json_get client_secret)"
if [ -z "$CLIENT_ID" ] || [ -z "$CLIENT_SECRET" ]; then lk_die "unexpected POST /admin/clients answer: $client"; fi
# RFC 6749 §2.3.1: form-encode id and secret before base64.
BASIC="Basic $(printf '%s:%s' "$(urlencode "$CLIENT_ID")" "$(urlencode "$CLIENT_SECRET")" | base64 | tr -d '\n')"

TOKEN_BODY="grant_type=client_credentials&scope=read"
issued="$(http POST "$PROJECT_HOST" /oauth2/token "$BASIC" application/x-www-form-urlencoded "$TOKEN_BODY")"
ACCESS_TOKEN="$(printf '%s' "$issued" | json_get access_token)"
[ -n "$ACCESS_TOKEN" ] || lk_die "unexpected /oauth2/token answer: $issued"
INTROSPECT_BODY="token=$(urlencode "$ACCESS_TOKEN")"
active="$(http POST "$PROJECT_HOST" /admin/oauth2/introspect "Bearer $PROJECT_KEY" \
  application/x-www-form-urlencoded "$INTROSPECT_BODY" | json_get active)"
[ "$active" = true ] || [ "$active" = True ] || lk_log "warning: introspection of a fresh token did not say active=true"
http GET "$PROJECT_HOST" /.well-known/openid-configuration "" "" >/dev/null

# --- load ------------------------------------------------------------------------------------------
LUA="$ROOT/scripts/bench/post.lua"
ROWS=()

# scenario NAME PATH [BODY AUTH]  (with BODY: POST through post.lua, else GET)
scenario() {
  local name="$1" path="$2" body="${3:-}" auth="${4:-}" file="$OUT/$1.txt"
  local args=(-t"$THREADS" -c"$CONNECTIONS" --timeout 10s --latency -H "Host: $PROJECT_HOST")
  [ -n "$body" ] && args+=(-s "$LUA")
  if [ "$WARMUP" != 0 ]; then
    BENCH_BODY="$body" BENCH_AUTH="$auth" wrk "${args[@]}" -d"$WARMUP" "$GW$path" >/dev/null 2>&1 || true
  fi
  lk_log "wrk $name: ${THREADS} threads, ${CONNECTIONS} connections, $DURATION"
  BENCH_BODY="$body" BENCH_AUTH="$auth" wrk "${args[@]}" -d"$DURATION" "$GW$path" >"$file" 2>&1 ||
    lk_log "wrk $name exited non-zero (see $file)"
  local rps p50 p99 non2xx sockerr
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$file")"
  p50="$(awk '$1 == "50%" {print $2; exit}' "$file")"
  p99="$(awk '$1 == "99%" {print $2; exit}' "$file")"
  non2xx="$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /, "", $2); print $2}' "$file")"
  sockerr="$(awk '/Socket errors:/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' "$file")"
  ROWS+=("$(printf '%-26s %12s %10s %10s %9s %9s' "$name" "${rps:--}" "${p50:--}" "${p99:--}" "${non2xx:-0}" "${sockerr:-0}")")
}

scenario token-client-credentials /oauth2/token "$TOKEN_BODY" "$BASIC"
scenario introspection /admin/oauth2/introspect "$INTROSPECT_BODY" "Bearer $PROJECT_KEY"
scenario discovery /.well-known/openid-configuration

# The same project with JWT access tokens: every token is an RS256 signature instead of an HMAC.
http PATCH "$API_HOST" "/projects/$PROJECT_ID" "Bearer $WORKSPACE_KEY" application/json \
  '[{"op":"replace","path":"/services/oauth2/config/strategies/access_token","value":"jwt"}]' >/dev/null
scenario token-client-credentials-jwt /oauth2/token "$TOKEN_BODY" "$BASIC"

echo
printf '%-26s %12s %10s %10s %9s %9s\n' scenario req/s p50 p99 non-2xx sock-err
printf '%s\n' "${ROWS[@]}"
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION against $GW (Host: $PROJECT_HOST); raw output in .local/bench/"
