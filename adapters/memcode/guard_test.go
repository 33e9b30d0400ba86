package memcode_test

import (
	"testing"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestGuardCountersContract(t *testing.T) {
	portstest.TestGuardCounters(t, func(*testing.T) ports.GuardCounters { return memcode.NewGuard() })
}
