package rediscode_test

import (
	"strings"
	"testing"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/services"
)

func TestGuardCountersContract(t *testing.T) {
	url := services.Redis(t)
	portstest.TestGuardCounters(t, func(t *testing.T) ports.GuardCounters { return rediscode.NewGuard(newStore(t, url)) })
}

// TestGuardCountersCluster runs the contract on a 3-master Redis Cluster:
// a script touching two slots would fail with CROSSSLOT.
func TestGuardCountersCluster(t *testing.T) {
	url := "redis://" + strings.Join(services.RedisCluster(t), ",")
	portstest.TestGuardCounters(t, func(t *testing.T) ports.GuardCounters {
		s, err := rediscode.New(rediscode.Config{URL: url})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		t.Cleanup(s.Close)
		return rediscode.NewGuard(s)
	})
}
