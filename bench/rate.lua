-- wrk script: holds the load to about WRK_RATE requests per second over WRK_CONNECTIONS connections (each waits
-- connections / rate seconds between its requests, jittered), so that latency is measured at a given rate instead
-- of at saturation. wrk reports the rate it reached; it is a little below WRK_RATE when responses are slow.
local rate = tonumber(os.getenv("WRK_RATE") or "3000")
local connections = tonumber(os.getenv("WRK_CONNECTIONS") or "64")
local gap_ms = 1000 * connections / rate

function delay()
  return gap_ms * (0.5 + math.random())
end
