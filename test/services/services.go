// Package services gives tests the real servers they need: a fresh Postgres
// database per test, a Redis key space, a Redis Cluster. When a server is not
// reachable the test is skipped with a message saying how to start it, unless
// AUTHD_TEST_REQUIRE_SERVICES=1 (set by .ci/run), where it fails instead: in
// CI no service test may skip.
package services

import (
	"os"
	"testing"
)

// Required reports whether service tests must run rather than skip.
func Required() bool { return os.Getenv("AUTHD_TEST_REQUIRE_SERVICES") == "1" }

// Unreachable skips or fails t because the named service cannot be used.
func Unreachable(t testing.TB, service string, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%s is required (AUTHD_TEST_REQUIRE_SERVICES=1) but unreachable: %v", service, err)
	}
	t.Skipf("%s unreachable, skipping (set AUTHD_TEST_REQUIRE_SERVICES=1 to fail instead): %v", service, err)
}

// Env returns the environment variable or def when unset.
func Env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
