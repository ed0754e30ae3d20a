-- featurelake online guard: write many entities in one atomic call, each only if its row is newer.
-- KEYS:  the entity hashes.
-- ARGV:  [1] time to live in ms (0 = none), then per key:
--        event_ts (epoch micros), snapshot_seq, n (number of feature fields), n x (field, value).
-- Rule:  write iff (event_ts, snapshot_seq) > (stored _event_ts, stored _snapshot_seq),
--        compared lexicographically; a key without a readable _event_ts is written.
-- A write replaces the whole hash (a feature that became NULL must not survive) and sets the TTL.
-- Returns the number of keys written.
local ttl = tonumber(ARGV[1])
local a = 2
local written = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local ts = tonumber(ARGV[a])
  local seq = tonumber(ARGV[a + 1])
  local n = tonumber(ARGV[a + 2])
  local stored = redis.call('HMGET', key, '_event_ts', '_snapshot_seq')
  local sts = tonumber(stored[1])
  local write = true
  if sts then
    local sseq = tonumber(stored[2]) or -1
    write = ts > sts or (ts == sts and seq > sseq)
  end
  if write then
    if stored[1] then
      redis.call('DEL', key)
    end
    local args = {'_event_ts', ARGV[a], '_snapshot_seq', ARGV[a + 1]}
    local f = a + 3
    for j = 1, 2 * n do
      args[4 + j] = ARGV[f + j - 1]
    end
    redis.call('HSET', key, unpack(args))
    if ttl > 0 then
      redis.call('PEXPIRE', key, ttl)
    end
    written = written + 1
  end
  a = a + 3 + 2 * n
end
return written
