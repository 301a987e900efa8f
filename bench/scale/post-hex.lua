-- wrk script: POSTs the OCSP requests listed as hex DER one a line in the file named by
-- $SCALE_BODIES (written by bench/scale/run.sh) to the path $SCALE_PATH.
local bodies = {}
for line in io.lines(os.getenv("SCALE_BODIES")) do
  bodies[#bodies + 1] = (line:gsub("..", function(h) return string.char(tonumber(h, 16)) end))
end
local path = os.getenv("SCALE_PATH")
local n = 0
-- $SCALE_DELAY_MS: each connection waits this long before each request (a paced, modest load
-- instead of as many requests as the server can take)
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
  n = math.random(#bodies)
end
request = function()
  n = n % #bodies + 1
  return wrk.format("POST", path, { ["Content-Type"] = "application/ocsp-request" }, bodies[n])
end
