-- renew: extend a lease held by this node with this token.
-- KEYS[1] lease hash
-- ARGV[1] node id   ARGV[2] token   ARGV[3] ttl in ms
-- returns 1 when extended, 0 when the lease is gone or held by another node or token
local node = redis.call('HGET', KEYS[1], 'node')
if node ~= ARGV[1] or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
