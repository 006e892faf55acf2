-- wrk script for make bench-scale: every request goes to a project picked at random.
-- Configured through the environment (set by tools/Latchkey.Bench, Wrk.cs):
--   BENCH_PATH      the request path (e.g. /oauth2/token)
--   BENCH_TARGETS   a file, one project a line: Host<TAB>Authorization<TAB>form body
local path = os.getenv("BENCH_PATH")
local targets = {}
for line in io.lines(os.getenv("BENCH_TARGETS")) do
  local host, auth, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  if host then targets[#targets + 1] = { host = host, auth = auth, body = body } end
end
math.randomseed(os.time() + math.floor(os.clock() * 1000000))

request = function()
  local t = targets[math.random(#targets)]
  return wrk.format("POST", path, {
    ["Host"] = t.host,
    ["Authorization"] = t.auth,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, t.body)
end
