-- release: give a lease up if still held by this node with this token.
-- KEYS[1] lease hash   KEYS[2] set of leased sectors
-- ARGV[1] node id   ARGV[2] token   ARGV[3] sector id
-- returns 1 when released, 0 otherwise
if redis.call('HGET', KEYS[1], 'node') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[3])
return 1
