-- featurelake online retraction: for entities whose rows were removed from main, put main's
-- current latest row in place of a removed one (or delete the key when the entity has none left),
-- many keys in one atomic call.
-- KEYS:  the entity hashes.
-- ARGV:  [1] time to live in ms (0 = none), then per key:
--        retract_ts, retract_seq, n, and when n >= 0 the replacement:
--        event_ts, snapshot_seq, n x (field, value); n = -1 means "no replacement" (nothing follows).
--        retract_ts is the latest event time among the entity's removed rows, retract_seq the
--        highest sequence number among the commits that removed them.
-- Rule, per key:
--   key absent                                             -> write the replacement, if any;
--   (stored _event_ts, stored _snapshot_seq) < (retract_ts, retract_seq), lexicographically,
--   or no readable _event_ts                               -> replace the whole hash with the
--                                                             replacement (TTL set), or DEL it;
--   otherwise                                              -> keep (a later commit wrote it).
-- Why: a stored value that came from a removed row has an event time <= retract_ts and a
-- sequence number below the removing commit's (the row was written before it was removed), so it
-- is below the pair and goes. A stored value at or above the pair came from a commit at least as
-- late as the removal and is kept. A stored value below the pair from a row that survived is
-- overwritten with main's true latest, which is at least as new: correct too.
-- Returns {keys replaced (a replacement written), keys deleted}.
local ttl = tonumber(ARGV[1])
local a = 2
local replaced = 0
local deleted = 0
for i = 1, #KEYS do
  local key = KEYS[i]
  local n = tonumber(ARGV[a + 2])
  local last = a + 2
  if n >= 0 then
    last = a + 4 + 2 * n
  end
  local act = true
  local stored = tonumber(redis.call('HGET', key, '_event_ts') or '')
  if stored then
    local rts = tonumber(ARGV[a])
    act = stored < rts
        or (stored == rts and (tonumber(redis.call('HGET', key, '_snapshot_seq')) or -1) < tonumber(ARGV[a + 1]))
  end
  if act then
    local existed = redis.call('DEL', key)
    if n >= 0 then
      redis.call('HSET', key, '_event_ts', ARGV[a + 3], '_snapshot_seq', ARGV[a + 4], unpack(ARGV, a + 5, last))
      if ttl > 0 then
        redis.call('PEXPIRE', key, ttl)
      end
      replaced = replaced + 1
    elseif existed == 1 then
      deleted = deleted + 1
    end
  end
  a = last + 1
end
return {replaced, deleted}
