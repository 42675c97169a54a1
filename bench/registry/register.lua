-- wrk script: POST /api/v1/assets with a unique, valid asset per request.
-- Tiers, statuses and departments vary so the list filters have something to select.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("CORRAL_TOKEN")
  prefix = os.getenv("BENCH_PREFIX") or "a"
end

local departments = {"Sales", "Finance", "HR", "Operations", "Marketing", "Legal", "Support", "IT"}
local statuses = {"development", "production"}
local words = {"lead", "invoice", "churn", "report", "forecast", "ledger", "payroll", "ticket"}

function request()
  counter = counter + 1
  local n = id * 10000000 + counter
  local tier = (n % 3) + 1
  local body = string.format(
    '{"name":"%s-%d-%d","purpose":"Builds the %s %s summary every morning.",' ..
    '"creator_email":"user%d@example.com","department":"%s","data_tier":%d,' ..
    '"ai_tool":{"product":"Claude Code","version":"2.1"},"status":"%s",' ..
    '"repository":"https://git.example.com/bench/%s-%d-%d"}',
    prefix, id, counter, words[(n % 8) + 1], departments[(n % 7) + 1],
    n % 500, departments[(n % 8) + 1], tier, statuses[(n % 2) + 1], prefix, id, counter)
  return wrk.format("POST", "/api/v1/assets",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
