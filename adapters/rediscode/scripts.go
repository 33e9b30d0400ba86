package rediscode

import "github.com/redis/rueidis"

// The scripts are not marked retryable: rueidis must not resend an Issue or
// Take after a timeout, since the first one may have counted already.

// issueScript: KEYS code, cooldown, sends; ARGV digest, ttl ms, cooldown
// ms (0: none), hourly limit, daily limit, hour window ms, day window ms.
// Replies {0, 0} when the code is stored, or {n, wait ms} when limit n (1
// cooldown, 2 hourly, 3 daily) refuses, storing nothing.
//
// The caps are sliding windows: sends is a sorted set of this phone's sends
// scored by Redis time in ms, trimmed to the longest window, so no rolling
// hour or day ever holds more than its cap (a fixed window that resets whole
// lets through up to twice the cap). Each send's member is unique and kept
// in the code's hash ('m'), so Cancel takes back exactly this send.
// redis.replicate_commands lets a Redis before 7 write after reading TIME.
var issueScript = rueidis.NewLuaScript(`
local cd = redis.call('PTTL', KEYS[2])
if cd > 0 then return {1, cd} end
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local caps = {{tonumber(ARGV[4]), tonumber(ARGV[6])}, {tonumber(ARGV[5]), tonumber(ARGV[7])}}
local keep = math.max(caps[1][2], caps[2][2])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%d', now - keep))
for i, c in ipairs(caps) do
  local since = '(' .. string.format('%d', now - c[2])
  local n = redis.call('ZCOUNT', KEYS[3], since, '+inf')
  if n >= c[1] then
    local wait = c[2]
    if c[1] > 0 then
      local o = redis.call('ZRANGEBYSCORE', KEYS[3], since, '+inf', 'WITHSCORES', 'LIMIT', n - c[1], 1)
      if o[2] then wait = tonumber(o[2]) + c[2] - now end
    end
    return {i + 1, math.max(wait, 1)}
  end
end
local member = t[1] .. '.' .. t[2] .. ':' .. ARGV[1]
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'd', ARGV[1], 'a', 0, 'm', member)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
redis.call('ZADD', KEYS[3], string.format('%d', now), member)
redis.call('PEXPIRE', KEYS[3], string.format('%d', keep))
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

// cancelScript: KEYS code, cooldown, sends; ARGV digest, give the send back
// (1) or only the cooldown (0). Only while the code still has this digest:
// deletes it and the cooldown and, if asked, removes the very send its Issue
// added (by the member kept in the code), never another one, so a repeated
// Cancel gives nothing back twice.
var cancelScript = rueidis.NewLuaScript(`
if redis.call('HGET', KEYS[1], 'd') ~= ARGV[1] then return 0 end
local m = redis.call('HGET', KEYS[1], 'm')
redis.call('DEL', KEYS[1], KEYS[2])
if ARGV[2] == '1' and m then redis.call('ZREM', KEYS[3], m) end
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
