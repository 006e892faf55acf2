#!/usr/bin/env bash
# make bench: load-test the hot paths through the gateway with wrk, on loopback only.
#
# Uses the platform at LATCHKEY_PUBLIC_URL (default http://localhost:4430) when it is healthy;
# otherwise starts it with `scripts/run.sh --background` and stops it at the end.
# Creates a throwaway project "bench" (deleted at the end), a project API key, a client_credentials
# client and an authorization_code + refresh_token client, then runs wrk for: token issuance
# (client_credentials), introspection, discovery, the refresh_token grant, and token issuance again
# with JWT access tokens.
#
# The refresh_token scenario needs a pool of refresh tokens, each from a full authorization-code flow
# (PKCE S256, login and consent accepted through the admin API as a Hydra login app would, a cookie jar
# as the browser). Every refresh rotates its token, so scripts/bench/refresh.lua deals the pool out to
# the wrk threads and sends each token once; the warm-up's unspent tokens are reused and topped up.
#
# Knobs: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WARMUP (3s, 0 = none),
#        BENCH_REFRESH_POOL (2 x connections; more than connections), BENCH_MINT_JOBS (4 flows at a time),
#        BENCH_SCENARIOS (all; else a space-separated subset of the names in the summary).
# The platform's port: LATCHKEY_PUBLIC_URL, else LATCHKEY_GATEWAY_PORT (as for scripts/run.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

DURATION="${BENCH_DURATION:-10s}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP="${BENCH_WARMUP:-3s}"
REFRESH_POOL="${BENCH_REFRESH_POOL:-$((2 * CONNECTIONS))}"
SCENARIOS="${BENCH_SCENARIOS:-token-client-credentials introspection discovery token-refresh token-client-credentials-jwt}"
OUT="$ROOT/.local/bench"
mkdir -p "$OUT"

PUBLIC_URL="${LATCHKEY_PUBLIC_URL:-http://localhost:${LATCHKEY_GATEWAY_PORT:-4430}}"
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

ensure_commands curl wrk openssl
[ "$REFRESH_POOL" -gt "$CONNECTIONS" ] 2>/dev/null ||
  lk_die "BENCH_REFRESH_POOL ($REFRESH_POOL) must be more than BENCH_CONNECTIONS ($CONNECTIONS): every connection holds a token in flight (see scripts/bench/refresh.lua)"

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
# Refresh tokens and cookie jars, removed at the end.
SECRETS="$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/latchkey-bench.XXXXXX")"
PROJECT_ID=""
WORKSPACE_KEY=""
finish() {
  local rc=$?
  if [ -n "$PROJECT_ID" ] && [ -n "$WORKSPACE_KEY" ]; then
    curl -sS -o /dev/null --max-time 10 -X DELETE -H "Host: $API_HOST" \
      -H "Authorization: Bearer $WORKSPACE_KEY" "$GW/projects/$PROJECT_ID" || true
  fi
  rm -rf "$SECRETS"
  if [ "$STARTED_PLATFORM" = 1 ]; then
    bash "$ROOT/scripts/stop.sh" || true
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

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

# The refresh_token grant: a client for the authorization-code flow, and the project's login and
# consent URLs pointed at a login app that is never contacted: the script plays both the browser (a
# cookie jar, never following the redirect to the app) and the app (it accepts through the admin API).
LOGIN_APP="http://login.bench.invalid/login"
CONSENT_APP="http://login.bench.invalid/consent"
REDIRECT_URI="http://127.0.0.1/cb"
http PATCH "$API_HOST" "/projects/$PROJECT_ID" "Bearer $WORKSPACE_KEY" application/json \
  "[{\"op\":\"replace\",\"path\":\"/services/oauth2/config/urls/login\",\"value\":\"$LOGIN_APP\"},
    {\"op\":\"replace\",\"path\":\"/services/oauth2/config/urls/consent\",\"value\":\"$CONSENT_APP\"}]" >/dev/null
web="$(http POST "$PROJECT_HOST" /admin/clients "Bearer $PROJECT_KEY" application/json \
  "{\"client_name\":\"bench-web\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],
    \"response_types\":[\"code\"],\"redirect_uris\":[\"$REDIRECT_URI\"],\"scope\":\"openid offline_access\",
    \"token_endpoint_auth_method\":\"client_secret_basic\"}")"
WEB_ID="$(printf '%s' "$web" | json_get client_id)"
WEB_SECRET="$(printf '%s' "$web" | json_get client_secret)"
if [ -z "$WEB_ID" ] || [ -z "$WEB_SECRET" ]; then lk_die "unexpected POST /admin/clients answer: $web"; fi
WEB_BASIC="Basic $(printf '%s:%s' "$(urlencode "$WEB_ID")" "$(urlencode "$WEB_SECRET")" | base64 | tr -d '\n')"

# query_param NAME URL -> the (still encoded) value of NAME in URL's query, empty when absent.
query_param() {
  local q="?${2#*\?}" v
  case "$q" in
  *[?\&]"$1="*) ;;
  *) return 0 ;;
  esac
  v="${q#*[?&]"$1"=}"
  v="${v%%&*}"
  printf '%s' "${v%%#*}"
}

# browser_get JAR URL -> the Location of URL's answer; dies unless it is a redirect. The URL's host is
# kept (the cookie jar and the gateway's routing go by it) but reached at the gateway on loopback over
# plain HTTP, whatever scheme and port the public URL has; *.localhost names need no resolver then.
browser_get() {
  local rest host path out code
  rest="${2#*://}"
  host="${rest%%[/:?]*}"
  path="/${rest#*/}"
  [ "$rest" = "${rest#*/}" ] && path=/
  out="$(curl -sS --max-time 30 --connect-to "$host:$GW_PORT:127.0.0.1:$GW_PORT" -b "$1" -c "$1" -o /dev/null \
    -w '%{http_code} %{redirect_url}' "http://$host:$GW_PORT$path")" || lk_die "GET ${2%%\?*}: request failed"
  code="${out%% *}"
  case "$code" in
  30?) printf '%s' "${out#* }" ;;
  *) lk_die "authorization flow: GET ${2%%\?*} answered $code, expected a redirect" ;;
  esac
}

# refresh_token_from_flow N -> a refresh token for subject bench-user-N from a whole authorization-code
# flow with PKCE S256, in a fresh browser (cookie jar).
refresh_token_from_flow() {
  local n="$1" jar="$SECRETS/jar-$1" verifier challenge state location login_challenge consent_challenge
  local accepted code issued refresh
  verifier="$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')"
  challenge="$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')"
  state="bench-state-$n-$RANDOM$RANDOM"
  : >"$jar"

  location="$(browser_get "$jar" "http://$PROJECT_HOST/oauth2/auth?response_type=code&client_id=$(urlencode "$WEB_ID")&redirect_uri=$(urlencode "$REDIRECT_URI")&scope=openid%20offline_access&state=$state&code_challenge=$challenge&code_challenge_method=S256")"
  login_challenge="$(query_param login_challenge "$location")"
  if ! { [ "${location%%\?*}" = "$LOGIN_APP" ] && [ -n "$login_challenge" ]; }; then
    lk_die "authorization flow: /oauth2/auth did not redirect to the login app with a login_challenge: ${location%%\?*}"
  fi
  accepted="$(http PUT "$PROJECT_HOST" "/admin/oauth2/auth/requests/login/accept?login_challenge=$login_challenge" \
    "Bearer $PROJECT_KEY" application/json "{\"subject\":\"bench-user-$n\"}" | json_get redirect_to)"
  [ -n "$accepted" ] || lk_die "authorization flow: login accept answered no redirect_to"

  location="$(browser_get "$jar" "$accepted")"
  consent_challenge="$(query_param consent_challenge "$location")"
  if ! { [ "${location%%\?*}" = "$CONSENT_APP" ] && [ -n "$consent_challenge" ]; }; then
    lk_die "authorization flow: the login verifier did not redirect to the consent app with a consent_challenge: ${location%%\?*}"
  fi
  accepted="$(http PUT "$PROJECT_HOST" "/admin/oauth2/auth/requests/consent/accept?consent_challenge=$consent_challenge" \
    "Bearer $PROJECT_KEY" application/json '{"grant_scope":["openid","offline_access"]}' | json_get redirect_to)"
  [ -n "$accepted" ] || lk_die "authorization flow: consent accept answered no redirect_to"

  location="$(browser_get "$jar" "$accepted")"
  code="$(query_param code "$location")"
  if ! { [ "${location%%\?*}" = "$REDIRECT_URI" ] && [ -n "$code" ] && [ "$(query_param state "$location")" = "$state" ]; }; then
    lk_die "authorization flow: the consent verifier did not redirect to the client with a code and the state: ${location%%\?*}"
  fi
  rm -f "$jar"

  issued="$(http POST "$PROJECT_HOST" /oauth2/token "$WEB_BASIC" application/x-www-form-urlencoded \
    "grant_type=authorization_code&code=$code&redirect_uri=$(urlencode "$REDIRECT_URI")&code_verifier=$verifier")"
  refresh="$(printf '%s' "$issued" | json_get refresh_token)"
  [ -n "$refresh" ] || lk_die "authorization flow: the code exchange answered no refresh_token"
  printf '%s\n' "$refresh"
}

# mint_refresh_tokens COUNT FILE : append COUNT fresh refresh tokens to FILE, BENCH_MINT_JOBS flows
# at a time.
MINTED=0
mint_refresh_tokens() {
  local i pid pids=() first=$((MINTED + 1)) failed=0 started=$SECONDS
  for ((i = 0; i < $1; i++)); do
    MINTED=$((MINTED + 1))
    refresh_token_from_flow "$MINTED" >"$SECRETS/minted-$MINTED" &
    pids+=("$!")
    if [ "${#pids[@]}" -ge "${BENCH_MINT_JOBS:-4}" ]; then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || lk_die "an authorization-code flow failed (see above)"
  for ((i = first; i <= MINTED; i++)); do
    cat "$SECRETS/minted-$i" >>"$2"
    rm -f "$SECRETS/minted-$i"
  done
  lk_log "minted $1 refresh tokens in $((SECONDS - started))s"
}

# --- load ------------------------------------------------------------------------------------------
LUA="$ROOT/scripts/bench/post.lua"
ROWS=()

# wrk_run DURATION OUTPUT PATH [SCRIPT]: one wrk run; the script's environment comes from the caller.
wrk_run() {
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout 10s --latency -H "Host: $PROJECT_HOST")
  [ -n "${4:-}" ] && args+=(-s "$4")
  wrk "${args[@]}" "$GW$3" >"$2" 2>&1
}

# report NAME FILE: add wrk's figures in FILE to the summary.
report() {
  local name="$1" file="$2" rps p50 p99 non2xx sockerr
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$file")"
  p50="$(awk '$1 == "50%" {print $2; exit}' "$file")"
  p99="$(awk '$1 == "99%" {print $2; exit}' "$file")"
  non2xx="$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /, "", $2); print $2}' "$file")"
  sockerr="$(awk '/Socket errors:/ {n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n}' "$file")"
  ROWS+=("$(printf '%-28s %12s %10s %10s %9s %9s' "$name" "${rps:--}" "${p50:--}" "${p99:--}" "${non2xx:-0}" "${sockerr:-0}")")
}

# wanted NAME: 0 when NAME is in BENCH_SCENARIOS.
wanted() {
  case " $SCENARIOS " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# scenario NAME PATH [BODY AUTH]  (with BODY: POST through post.lua, else GET)
scenario() {
  local name="$1" path="$2" body="${3:-}" auth="${4:-}" file="$OUT/$1.txt" lua=""
  wanted "$name" || return 0
  [ -n "$body" ] && lua="$LUA"
  if [ "$WARMUP" != 0 ]; then
    BENCH_BODY="$body" BENCH_AUTH="$auth" wrk_run "$WARMUP" /dev/null "$path" "$lua" || true
  fi
  lk_log "wrk $name: ${THREADS} threads, ${CONNECTIONS} connections, $DURATION"
  BENCH_BODY="$body" BENCH_AUTH="$auth" wrk_run "$DURATION" "$file" "$path" "$lua" ||
    lk_log "wrk $name exited non-zero (see $file)"
  report "$name" "$file"
}

# The refresh_token grant: every request spends one pooled refresh token and puts the rotated one back
# (scripts/bench/refresh.lua). The tokens in flight when wrk stops are lost, so the pool is topped up
# from fresh authorization-code flows before each run.
refresh_scenario() {
  local name=token-refresh file="$OUT/token-refresh.txt" pool="$SECRETS/refresh-pool" left="$SECRETS/refresh-left" have
  wanted "$name" || return 0
  : >"$pool"
  lk_log "minting $REFRESH_POOL refresh tokens through the authorization-code flow"
  mint_refresh_tokens "$REFRESH_POOL" "$pool"
  if [ "$WARMUP" != 0 ]; then
    BENCH_REFRESH_IN="$pool" BENCH_REFRESH_OUT="$left" BENCH_THREADS="$THREADS" BENCH_AUTH="$WEB_BASIC" \
      wrk_run "$WARMUP" "$OUT/$name.warmup.txt" /oauth2/token "$ROOT/scripts/bench/refresh.lua" || true
    [ -f "$left" ] && mv -f "$left" "$pool"
    : >"$left"
    have="$(grep -c . "$pool" || true)"
    if [ "$have" -lt "$REFRESH_POOL" ]; then mint_refresh_tokens "$((REFRESH_POOL - have))" "$pool"; fi
  fi
  lk_log "wrk $name: ${THREADS} threads, ${CONNECTIONS} connections, $DURATION, $REFRESH_POOL refresh tokens"
  BENCH_REFRESH_IN="$pool" BENCH_REFRESH_OUT="$left" BENCH_THREADS="$THREADS" BENCH_AUTH="$WEB_BASIC" \
    wrk_run "$DURATION" "$file" /oauth2/token "$ROOT/scripts/bench/refresh.lua" ||
    lk_log "wrk $name exited non-zero (see $file)"
  grep '^refresh: ' "$file" | sed 's/^/[latchkey] /' >&2 || true
  report "$name" "$file"
}

scenario token-client-credentials /oauth2/token "$TOKEN_BODY" "$BASIC"
scenario introspection /admin/oauth2/introspect "$INTROSPECT_BODY" "Bearer $PROJECT_KEY"
scenario discovery /.well-known/openid-configuration
refresh_scenario

# The same project with JWT access tokens: every token is an RS256 signature instead of an HMAC.
if wanted token-client-credentials-jwt; then
  http PATCH "$API_HOST" "/projects/$PROJECT_ID" "Bearer $WORKSPACE_KEY" application/json \
    '[{"op":"replace","path":"/services/oauth2/config/strategies/access_token","value":"jwt"}]' >/dev/null
  # Measure only once the token endpoint issues JWTs (header.payload.signature), not opaque lk_at_ tokens.
  jwt=""
  for ((i = 0; i < 20; i++)); do
    jwt="$(http POST "$PROJECT_HOST" /oauth2/token "$BASIC" application/x-www-form-urlencoded "$TOKEN_BODY" | json_get access_token)"
    case "$jwt" in
    lk_at_*) jwt="" ;;
    *.*.*) break ;;
    esac
    sleep 0.5
  done
  [ -n "$jwt" ] || lk_die "the token endpoint still issues opaque access tokens after switching the project to jwt"
  scenario token-client-credentials-jwt /oauth2/token "$TOKEN_BODY" "$BASIC"
fi

echo
printf '%-28s %12s %10s %10s %9s %9s\n' scenario req/s p50 p99 non-2xx sock-err
printf '%s\n' "${ROWS[@]}"
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION against $GW (Host: $PROJECT_HOST); raw output in .local/bench/"
