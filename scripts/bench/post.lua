-- wrk script: every request is a POST with a fixed form body and optional Authorization header.
-- Configured through the environment (set by tools/Latchkey.Bench, Wrk.cs):
--   BENCH_BODY   application/x-www-form-urlencoded body
--   BENCH_AUTH   value of the Authorization header (e.g. "Basic ..." or "Bearer ...")
-- The Host header comes from wrk's -H option.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
