package rediscode

import "github.com/redis/rueidis"

// The scripts are not marked retryable: rueidis must not resend an Issue or
// Take after a timeout, since the first one may have counted already.

// issueScript: KEYS code, cooldown, hour, day; ARGV digest, ttl ms,
// cooldown ms (0: none), hourly limit, daily limit. Replies {0, 0} when the
// code is stored, or {n, pttl} when limit n (1 cooldown, 2 hourly, 3 daily)
// refuses, storing nothing.
var issueScript = rueidis.NewLuaScript(`
local cd = redis.call('PTTL', KEYS[2])
if cd > 0 then return {1, cd} end
local caps = {{KEYS[3], ARGV[4], 3600000}, {KEYS[4], ARGV[5], 86400000}}
for i, c in ipairs(caps) do
  if tonumber(redis.call('GET', c[1]) or '0') >= tonumber(c[2]) then
    local t = redis.call('PTTL', c[1])
    if t < 0 then redis.call('PEXPIRE', c[1], c[3]); t = c[3] end
    return {i + 1, t}
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'a', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
for _, c in ipairs(caps) do
  redis.call('INCR', c[1])
  if redis.call('PTTL', c[1]) < 0 then redis.call('PEXPIRE', c[1], c[3]) end
end
return {0, 0}
`)

// verifyScript: KEYS code; ARGV digest, max attempts. Replies 1 on a match
// (the code is deleted), 0 otherwise (a wrong digest counts an attempt and
// the code is deleted at max attempts). Digests are HMACs, so a plain
// comparison leaks nothing useful about the code.
var verifyScript = rueidis.NewLuaScript(`
local d = redis.call('HGET', KEYS[1], 'd')
if not d then return 0 end
if d == ARGV[1] then redis.call('DEL', KEYS[1]); return 1 end
if redis.call('HINCRBY', KEYS[1], 'a', 1) >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 0
`)

// cancelScript: KEYS code, cooldown, hour, day; ARGV digest. Only while the
// code still has this digest: deletes it and the cooldown and gives the send
// back to both windows, so a repeated Cancel gives nothing back twice.
var cancelScript = rueidis.NewLuaScript(`
if redis.call('HGET', KEYS[1], 'd') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
for i = 3, 4 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 1
`)

// withdrawScript: KEYS code; ARGV digest. Deletes the code only while it
// has this digest; gives nothing back.
var withdrawScript = rueidis.NewLuaScript(`
if redis.call('HGET', KEYS[1], 'd') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

// limitCheck is the shared head of take and check: if the count reached
// ARGV[1], reply the wait in ms (at least 1).
const limitCheck = `
if tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then
  local t = redis.call('PTTL', KEYS[1])
  if t == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  if t < 0 then t = tonumber(ARGV[2]) end
  return math.max(t, 1)
end
`

// takeScript: KEYS counter; ARGV max, window ms. Replies 0 after counting
// one event, or the wait in ms without counting.
var takeScript = rueidis.NewLuaScript(limitCheck + `
redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

// checkScript: like takeScript without counting.
var checkScript = rueidis.NewLuaScript(limitCheck + `
return 0
`)
