-- wrk script: GETs the paths listed one a line in the file named by $SCALE_PATHS (written by
-- bench/scale/run.sh), each thread from its own random starting point.
local paths = {}
for line in io.lines(os.getenv("SCALE_PATHS")) do
  paths[#paths + 1] = line
end
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
  n = math.random(#paths)
end
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
