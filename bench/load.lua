-- wrk script. Mode (after --): "index" (GET / only), "layout" (GET /_dash-layout only), or "mix" (a page
-- load: index, layout, dependencies, healthz, plus a callback POST: the day's CSV export, whose body is
-- read from the file given as the second argument). Clients send gzip like browsers do; in the mix half
-- of the layout requests revalidate with If-None-Match.
local mode = "mix"
local post_body = nil
local paths = {"/", "/_dash-layout", "/_dash-dependencies", "/healthz", "POST"}
local etag = nil
local n = 0

init = function(args)
  mode = args[1] or "mix"
  if args[2] then
    local f = io.open(args[2], "r")
    post_body = f:read("*a")
    f:close()
  end
  if mode == "index" then paths = {"/"} elseif mode == "layout" then paths = {"/_dash-layout"} end
  if mode == "mix" and not post_body then paths = {"/", "/_dash-layout", "/_dash-dependencies", "/healthz"} end
end

request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  local headers = {["Accept-Encoding"] = "gzip"}
  if path == "POST" then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/_dash-update-component", headers, post_body)
  end
  if mode == "mix" and path == "/_dash-layout" and etag and n % 2 == 0 then headers["If-None-Match"] = etag end
  return wrk.format("GET", path, headers)
end

response = function(status, headers, body)
  if headers["ETag"] then etag = headers["ETag"] end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout
  io.write(string.format("requests: %d in %.1f s = %.0f req/s\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d (non-2xx/3xx: %d, timeouts: %d)\n", errors, summary.errors.status,
    summary.errors.timeout))
end
