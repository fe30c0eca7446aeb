-- wrk script: a page load is the index page plus the layout (geometry and state table); clients send
-- gzip like browsers do, and half of the layout requests revalidate with If-None-Match.
local paths = {"/", "/_dash-layout", "/_dash-dependencies", "/healthz"}
local etag = nil
local n = 0

request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  local headers = {["Accept-Encoding"] = "gzip"}
  if path == "/_dash-layout" and etag and n % 2 == 0 then headers["If-None-Match"] = etag end
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
