-- wrk script: GET /api/v1/assets with a rotating mix of filters, paced to a target rate.
-- Each connection waits BENCH_DELAY_MS between requests (wrk's delay()), so with C
-- connections the offered load is about C * 1000 / BENCH_DELAY_MS requests per second.
local queries = {
  "/api/v1/assets?tier=2",
  "/api/v1/assets?status=production",
  "/api/v1/assets?department=finance",
  "/api/v1/assets?q=ledger",
  "/api/v1/assets?tier=3&status=development&department=sales",
  "/api/v1/assets?q=invoice%20marketing&per_page=20",
  "/api/v1/assets?approval=pending-review&page=3",
  "/api/v1/assets",
  -- Rare words: one asset in 500, and none at all (the worst case for a search).
  "/api/v1/assets?q=user123",
  "/api/v1/assets?q=nosuchword",
}
local i = 0

function init(args)
  token = os.getenv("CORRAL_TOKEN")
  pause = tonumber(os.getenv("BENCH_DELAY_MS") or "20")
end

function delay()
  return pause
end

function request()
  i = i + 1
  return wrk.format("GET", queries[(i % #queries) + 1],
    {["Authorization"] = "Bearer " .. token})
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (non-2xx) %d, %.1f req/s\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
