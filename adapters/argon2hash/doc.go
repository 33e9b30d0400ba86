// Package argon2hash hashes passwords with argon2id (RFC 9106) and stores
// them as PHC strings, so that the cost parameters travel with each hash and
// can be raised later without invalidating old ones. Every hash runs under a
// semaphore: argon2id is memory-hard on purpose (19 MiB per hash by default),
// and a burst of logins must queue, not exhaust the process's memory.
package argon2hash
