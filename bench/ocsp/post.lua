-- wrk script: POSTs prepared OCSP requests (written by `run.sh --hold` to
-- server/target/ocsp-bench/request-N.der), cycling through them.
local requests = {}
for i = 0, 99 do
  local f = io.open("server/target/ocsp-bench/request-" .. i .. ".der", "rb")
  requests[#requests + 1] = f:read("*a")
  f:close()
end
local n = 0
request = function()
  n = n % #requests + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/ocsp-request" }, requests[n])
end
