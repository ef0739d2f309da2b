-- handoff: move a held lease to another node under a new fencing token (migration).
-- KEYS[1] lease hash   KEYS[2] fencing counter
-- ARGV[1] from node   ARGV[2] token held   ARGV[3] to node   ARGV[4] ttl in ms
-- returns the new token, or 0 when `from` does not hold the lease with that token
if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'node', ARGV[3], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return token
