#pragma once
// The Lua scripts of RedisSessionStore. A script runs atomically (nothing
// else runs in between, and it is replicated as one unit), which a session
// hash and the sets that list it need when they change together; MULTI/EXEC
// could not read the hash first (Touch needs created_at, Delete the user ids).
//
// Data model (prefix P, default "rqwatch:"):
//   P session:<key>         hash: user_id, impersonator_id (absent when none),
//                           csrf_token, created_at, last_seen, ip; expires
//                           (PEXPIREAT) when the session does:
//                           min(created_at + absolute, last_seen + idle)
//   P user-sessions:<id>    set of the keys of the sessions of user <id> and of
//                           those in which <id> acts as someone else; expires
//                           with its longest-lived session
// Members of an expired session stay in the sets until the next Create for
// that user prunes them, or DeleteAllOf. Some keys below are built inside the
// scripts from the prefix (not passed in KEYS): fine for one server and
// Sentinel, not for Redis Cluster (which rqwatch does not support).
//
// Times are ms since the epoch as decimal text; Lua's numbers (doubles)
// hold them exactly (< 2^53) and '%.0f' writes them back without an exponent.

#include <string_view>

namespace rqwatch::redis::scripts {

// KEYS: the session hash, the user's set, [the impersonator's set]
// ARGV: key, user_id, impersonator_id or "", csrf_token, created_at,
//       last_seen, ip, expires_at, absolute deadline, P .. "session:"
// 1 = created; 0 = the key is taken. A retry of a Create whose reply was lost
// finds its own record (the same user, CSRF token (a random value) and
// creation time) and says 1.
inline constexpr std::string_view kCreate = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  local v = redis.call('HMGET', KEYS[1], 'user_id', 'csrf_token', 'created_at')
  if v[1] == ARGV[2] and v[2] == ARGV[4] and v[3] == ARGV[5] then return 1 end
  return 0
end
redis.call('HSET', KEYS[1], 'user_id', ARGV[2], 'csrf_token', ARGV[4],
           'created_at', ARGV[5], 'last_seen', ARGV[6], 'ip', ARGV[7])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'impersonator_id', ARGV[3]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
for i = 2, #KEYS do
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    if redis.call('EXISTS', ARGV[10] .. member) == 0 then redis.call('SREM', KEYS[i], member) end
  end
  redis.call('SADD', KEYS[i], ARGV[1])
  -- the set lives as long as its longest-lived session: NX sets a first
  -- expiry, GT only moves it later (Redis >= 7.0)
  redis.call('PEXPIREAT', KEYS[i], ARGV[9], 'NX')
  redis.call('PEXPIREAT', KEYS[i], ARGV[9], 'GT')
end
return 1
)lua";

// KEYS: the session hash.  ARGV: last_seen, idle ms, absolute ms.
// Moves last_seen forward only, and the expiry with it.
inline constexpr std::string_view kTouch = R"lua(
local v = redis.call('HMGET', KEYS[1], 'last_seen', 'created_at')
if not v[1] or not v[2] then return 0 end
local last_seen = tonumber(ARGV[1])
if last_seen <= tonumber(v[1]) then return 0 end
redis.call('HSET', KEYS[1], 'last_seen', ARGV[1])
local expires = math.min(tonumber(v[2]) + tonumber(ARGV[3]), last_seen + tonumber(ARGV[2]))
redis.call('PEXPIREAT', KEYS[1], string.format('%.0f', expires))
return 1
)lua";

// KEYS: the session hash.  ARGV: key, P .. "user-sessions:".
inline constexpr std::string_view kDelete = R"lua(
local v = redis.call('HMGET', KEYS[1], 'user_id', 'impersonator_id')
redis.call('DEL', KEYS[1])
for i = 1, 2 do
  if v[i] then redis.call('SREM', ARGV[2] .. v[i], ARGV[1]) end
end
return 1
)lua";

// KEYS: the user's set.  ARGV: P .. "session:", P .. "user-sessions:".
// Every session of the user, and every one in which the user acts as
// someone else; each leaves the other user's set too.
inline constexpr std::string_view kDeleteAllOf = R"lua(
local n = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. member
  local v = redis.call('HMGET', key, 'user_id', 'impersonator_id')
  n = n + redis.call('DEL', key)
  for i = 1, 2 do
    if v[i] then redis.call('SREM', ARGV[2] .. v[i], member) end
  end
end
redis.call('DEL', KEYS[1])
return n
)lua";

}  // namespace rqwatch::redis::scripts
