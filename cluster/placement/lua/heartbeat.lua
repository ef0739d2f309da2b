-- heartbeat: register or refresh a node's membership.
-- KEYS[1] node hash (expires with the membership)   KEYS[2] set of node ids
-- ARGV[1] node id   ARGV[2] JSON node info   ARGV[3] ttl in ms
-- returns 1 when the node was still registered, 0 when it was not (first beat, expired, or Redis lost its data)
local existed = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return existed
