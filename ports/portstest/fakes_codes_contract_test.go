package portstest_test

import (
	"testing"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

// The fakes the use-case tests rely on pass the same contracts as the real
// stores, so they cannot drift.
func TestFakeCodesContract(t *testing.T) {
	portstest.TestCodes(t, func(*testing.T) ports.Codes { return portstest.NewCodes() })
}

func TestFakeLimiterContract(t *testing.T) {
	portstest.TestRateLimiter(t, func(*testing.T) ports.RateLimiter { return portstest.NewLimiter() })
}
