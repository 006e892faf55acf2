-- wrk script: the refresh_token grant, each request with a refresh token that was never used.
--
-- Every refresh rotates the token (the old one is spent, and reusing it revokes its whole family), so
-- each wrk thread owns a disjoint slice of the pool and keeps it as a queue: request() takes a token
-- out, response() puts the rotated one from the answer back in. A token is in flight on at most one
-- connection and is never sent twice. A slice must hold at least one token per connection of its
-- thread, and the first thread one more: wrk calls request() once in that thread's state to check the
-- script (script_verify_request) and never sends what it builds, so that token is dropped unspent.
-- scripts/bench.sh makes the pool 2 x connections by default. The tokens in flight when wrk stops are lost too
-- (the server rotated them, the answers were never read).
--
-- Configured through the environment (set by tools/Latchkey.Bench, Wrk.cs):
--   BENCH_REFRESH_IN    file with the pool, one refresh token per line
--   BENCH_REFRESH_OUT   file to write the unspent tokens to at the end (optional), one per line;
--                       the tokens that were in flight when wrk stopped are gone
--   BENCH_THREADS       wrk's -t (the pool is dealt round-robin over this many threads)
--   BENCH_AUTH          value of the Authorization header (client_secret_basic)
-- The Host header comes from wrk's -H option.
--
-- done() prints "refresh: pool=N sent=N rotated=N failed=N starved=N unspent=N" and, when something
-- failed, the first failing status and body (an OAuth error, never a token). sent counts wrk's check
-- too; sent - rotated - failed is what was in flight when wrk stopped, plus that one.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

-- Main Lua state: deal the pool to the threads as they are created.

local threads = {}

local function read_pool()
  local pool = {}
  local path = os.getenv("BENCH_REFRESH_IN")
  if path == nil or path == "" then
    return pool
  end
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local token = line:match("^%s*(%S+)%s*$")
    if token then
      pool[#pool + 1] = token
    end
  end
  f:close()
  return pool
end

local pool = nil
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "") or 1

function setup(thread)
  pool = pool or read_pool()
  local index = #threads -- 0-based
  local slice = {}
  for i = index + 1, #pool, thread_count do
    slice[#slice + 1] = pool[i]
  end
  thread:set("tokens", table.concat(slice, "\n"))
  threads[#threads + 1] = thread
end

-- Thread Lua states: the queue and the counters.

queue = {}
head = 1
tail = 0
sent = 0
rotated = 0
failed = 0
starved = 0
first_failure = ""

function init(args)
  for token in string.gmatch(tokens or "", "[^\n]+") do
    tail = tail + 1
    queue[tail] = token
  end
end

local function form_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function request()
  sent = sent + 1
  local token
  if head <= tail then
    token = queue[head]
    queue[head] = nil
    head = head + 1
  else
    -- No unspent token left for this connection (the pool is too small, or tokens were lost to
    -- errors): send one the server must refuse, so the shortage shows as non-2xx answers.
    starved = starved + 1
    token = "bench-pool-empty"
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. form_encode(token))
end

function response(status, headers, body)
  local token = status == 200 and body and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if token then
    rotated = rotated + 1
    tail = tail + 1
    queue[tail] = token
  else
    failed = failed + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.sub((body or ""):gsub("%s+", " "), 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local totals = { pool = pool and #pool or 0, sent = 0, rotated = 0, failed = 0, starved = 0, unspent = 0 }
  local failure = ""
  local out = os.getenv("BENCH_REFRESH_OUT")
  local f = nil
  if out ~= nil and out ~= "" then
    f = assert(io.open(out, "w"))
  end
  for _, thread in ipairs(threads) do
    totals.sent = totals.sent + thread:get("sent")
    totals.rotated = totals.rotated + thread:get("rotated")
    totals.failed = totals.failed + thread:get("failed")
    totals.starved = totals.starved + thread:get("starved")
    if failure == "" then
      failure = thread:get("first_failure") or ""
    end
    local q, h, t = thread:get("queue"), thread:get("head"), thread:get("tail")
    for i = h, t do
      totals.unspent = totals.unspent + 1
      if f then
        f:write(q[i], "\n")
      end
    end
  end
  if f then
    f:close()
  end
  io.write(string.format("refresh: pool=%d sent=%d rotated=%d failed=%d starved=%d unspent=%d\n",
    totals.pool, totals.sent, totals.rotated, totals.failed, totals.starved, totals.unspent))
  if failure ~= "" then
    io.write("refresh: first failure: ", failure, "\n")
  end
end
