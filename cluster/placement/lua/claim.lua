-- claim: take a sector's lease if it is free or expired, with a new fencing token.
-- KEYS[1] lease hash (node, token), expires with the lease
-- KEYS[2] fencing counter (never expires, only grows)
-- KEYS[3] set of leased sectors (index for listing)
-- ARGV[1] node id   ARGV[2] ttl in ms   ARGV[3] sector id
-- returns the new token, or 0 when a live lease is held by anyone
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'node', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
return token
