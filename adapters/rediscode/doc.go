// Package rediscode is the one-time code store and rate limiter on Redis
// (github.com/redis/rueidis), shared by any number of authd instances.
//
// Each operation is one Lua script, so it is one atomic step in Redis:
// Issue checks the resend cooldown and the hourly and daily caps and stores
// the digest, Verify compares, counts the attempt and deletes or burns,
// Cancel gives an undelivered send back, Take and Check count or read a
// rate-limit window. Scripts go out as EVALSHA with an EVAL fallback, so
// each node compiles each script once. Only HMAC digests are stored, never
// a code in clear, and every key has a TTL.
//
// Keys (KeyPrefix "authd" by default): all keys of one phone share the hash
// tag {phone}, so each script touches one slot and runs on Redis Cluster:
//
//	authd:{+8613711112222}:code:login      hash d=digest a=wrong attempts m=its send, TTL = code TTL
//	authd:{+8613711112222}:cooldown:login  resend cooldown, TTL = ResendAfter
//	authd:{+8613711112222}:sends           sorted set of sends scored by time (ms), TTL 24h
//	authd:{rl:<key>}:n                     RateLimiter count, TTL = Limit.Window
//
// The per-phone hourly and daily caps are sliding windows over the sends
// set, trimmed to the day on every Issue; RateLimiter windows are fixed and
// start at their first event. Redis measures every TTL and window with its
// own clock (TIME), so the now arguments of the ports are not used here and
// instances with skewed clocks still agree.
//
// AUTHD_REDIS_URL (Config.URL) accepts:
//
//	redis://[user:password@]host:port[/db]   one server (or one cluster node to discover the rest)
//	rediss://...                             the same over TLS
//	redis://host1:port1,host2:port2/         several cluster nodes, comma-separated
//	redis://host1:port1?addr=host2:port2     rueidis' own form for more nodes
//	host1:port1,host2:port2                  bare addresses, no auth, database 0
//
// and the query parameters of rueidis.ParseURL (dial_timeout, client_name,
// ...). Given one address, rueidis finds out whether it is a cluster.
package rediscode
