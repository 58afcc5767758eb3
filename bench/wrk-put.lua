-- etcd v3 puts of 1 KiB values over 10,000 keys, as `npm run bench -- store` sends them, for wrk
-- (Debian: apt-get install wrk), the cheapest load generator there is on this machine:
--   wrk -t 1 -c 128 -d 5s -s bench/wrk-put.lua http://127.0.0.1:PORT
-- Against `minik store`, etcd and the floor (`node dist/bench/_floor.js store --port PORT`), it
-- tells what the servers reach when the load generator costs almost nothing.

local alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for j = 1, 4 do
      if j <= chars then
        local k = math.floor(n / 2 ^ (6 * (4 - j))) % 64
        out[#out + 1] = alphabet:sub(k + 1, k + 1)
      else
        out[#out + 1] = '='
      end
    end
  end
  return table.concat(out)
end

local requests = {}
local next = 0

function init(args)
  local value = base64(string.rep('v', 1024))
  for i = 0, 9999 do
    local key = base64(string.format('/bench/put/%06d', i))
    requests[i] = wrk.format('POST', '/v3/kv/put', { ['Content-Type'] = 'application/json' },
      '{"key":"' .. key .. '","value":"' .. value .. '"}')
  end
end

function request()
  next = (next + 1) % 10000
  return requests[next]
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write('put answered ' .. status .. ': ' .. body .. '\n')
    wrk.thread:stop()
  end
end
