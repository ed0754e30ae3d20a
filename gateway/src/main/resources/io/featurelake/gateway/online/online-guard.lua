-- featurelake online guard: write many entities in one atomic call, each only if its row is newer.
-- KEYS:  the entity hashes.
-- ARGV:  [1] time to live in ms (0 = none), then per key:
--        event_ts (epoch micros), snapshot_seq, n (number of feature fields), n x (field, value).
-- Rule:  write iff (event_ts, snapshot_seq) > (stored _event_ts, stored _snapshot_seq),
--        compared lexicographically; a key without a readable _event_ts is written.
-- A write replaces the whole hash (a feature that became NULL must not survive) and sets the TTL.
-- Returns the number of keys written.
-- Cost per key is what bounds a sync's rate, so: one HGET for a new key (the sequence number is
-- read only on an event-time tie), and the fields go to HSET straight from ARGV (no Lua table).
local ttl = tonumber(ARGV[1])
local a = 2
local written = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local last = a + 2 + 2 * tonumber(ARGV[a + 2])
  local write = true
  local stored = redis.call('HGET', key, '_event_ts')
  if stored then
    local sts = tonumber(stored)
    if sts then
      local ts = tonumber(ARGV[a])
      write = ts > sts
          or (ts == sts and tonumber(ARGV[a + 1]) > (tonumber(redis.call('HGET', key, '_snapshot_seq')) or -1))
    end
    if write then
      redis.call('DEL', key)
    end
  end
  if write then
    redis.call('HSET', key, '_event_ts', ARGV[a], '_snapshot_seq', ARGV[a + 1], unpack(ARGV, a + 3, last))
    if ttl > 0 then
      redis.call('PEXPIRE', key, ttl)
    end
    written = written + 1
  end
  a = last + 1
end
return written
