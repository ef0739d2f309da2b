-- raise-fence: make sure a sector's fencing counter is at least a value (after Redis lost its data, the store
-- remembers the newest token that ever wrote; new tokens must be above it).
-- KEYS[1] fencing counter
-- ARGV[1] minimum
-- returns the counter after the call
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local min = tonumber(ARGV[1])
if cur < min then redis.call('SET', KEYS[1], min); return min end
return cur
