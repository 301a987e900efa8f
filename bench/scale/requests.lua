-- wrk script for bench/scale/run.sh, in one of two modes:
--   $SCALE_PATHS: GETs the paths listed one a line in that file (renewalInfo, OCSP GET);
--   $SCALE_BODIES and $SCALE_PATH: POSTs to that path the OCSP requests listed as hex DER one a
--   line in that file.
-- Each thread starts from its own random point of the list. $SCALE_DELAY_MS: each connection waits
-- this long before each request (a paced, modest load instead of as many requests as the server
-- can take).
local requests = {}
if os.getenv("SCALE_PATHS") then
  for line in io.lines(os.getenv("SCALE_PATHS")) do
    requests[#requests + 1] = wrk.format("GET", line)
  end
else
  local path = os.getenv("SCALE_PATH")
  for line in io.lines(os.getenv("SCALE_BODIES")) do
    local body = line:gsub("..", function(h) return string.char(tonumber(h, 16)) end)
    requests[#requests + 1] =
      wrk.format("POST", path, { ["Content-Type"] = "application/ocsp-request" }, body)
  end
end
local n = 0
local pause = tonumber(os.getenv("SCALE_DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
init = function(args)
  math.randomseed(os.time() * 100 + seed)
  n = math.random(#requests)
end
request = function()
  n = n % #requests + 1
  return requests[n]
end
