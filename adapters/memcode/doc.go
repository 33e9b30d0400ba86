// Package memcode is the in-process one-time code store and rate limiter: a
// mutex-guarded map where each method is one atomic step, as ports.Codes and
// ports.RateLimiter require.
//
// It serves one authd instance only: counters and codes are not shared, so
// limits multiply with the number of instances. Run several instances with
// adapters/rediscode instead.
//
// All expiry is computed from the now passed in by the caller (the Clock), so
// a fake clock drives it in tests. Expired entries are dropped lazily when
// touched, and a sweep of the whole map runs at most once a minute (by that
// same clock) during writes, so memory stays bounded without a goroutine.
package memcode
