package rediscode_test

import (
	"strings"
	"testing"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/services"
)

func TestSpendCounterContract(t *testing.T) {
	url := services.Redis(t)
	portstest.TestSpendCounter(t, func(t *testing.T) ports.SpendCounter { return rediscode.NewSpend(newStore(t, url)) })
}

// TestSpendCounterCluster runs the contract on a 3-master Redis Cluster:
// the day and month keys must share a slot for the reserve script.
func TestSpendCounterCluster(t *testing.T) {
	url := "redis://" + strings.Join(services.RedisCluster(t), ",")
	portstest.TestSpendCounter(t, func(t *testing.T) ports.SpendCounter {
		s, err := rediscode.New(rediscode.Config{URL: url})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		t.Cleanup(s.Close)
		return rediscode.NewSpend(s)
	})
}
