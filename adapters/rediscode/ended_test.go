package rediscode_test

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/services"
)

// endedPair is two instances' stores on one Redis key space.
func endedPair(t *testing.T, url, prefix string) (ports.EndedSessions, ports.EndedSessions) {
	t.Helper()
	cfg := rediscode.Config{URL: url, KeyPrefix: prefix}
	var out [2]ports.EndedSessions
	for i := range out {
		e, err := rediscode.NewEndedSessions(cfg, time.Minute)
		if err != nil {
			t.Fatalf("NewEndedSessions: %v", err)
		}
		t.Cleanup(e.Close)
		out[i] = e
	}
	return out[0], out[1]
}

func TestEndedSessionsContract(t *testing.T) {
	url := services.Redis(t)
	portstest.TestEndedSessions(t, func(t *testing.T) (ports.EndedSessions, ports.EndedSessions) {
		prefix := "authdtest:" + strings.ToLower(rand.Text()[:12])
		t.Cleanup(func() { deleteKeys(t, url, prefix+":*") })
		return endedPair(t, url, prefix)
	})
}

func TestEndedSessionsClusterContract(t *testing.T) {
	url := "redis://" + strings.Join(services.RedisCluster(t), ",")
	portstest.TestEndedSessions(t, func(t *testing.T) (ports.EndedSessions, ports.EndedSessions) {
		return endedPair(t, url, "authdtest")
	})
}

// BenchmarkEndedSessionsIsEnded is the check every authenticated request
// makes, on a session already looked at once: a client-side cache hit.
func BenchmarkEndedSessionsIsEnded(b *testing.B) {
	e, err := rediscode.NewEndedSessions(rediscode.Config{URL: services.Redis(b), KeyPrefix: "authdbench"}, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	now := time.Now()
	if _, err := e.IsEnded(b.Context(), "bench-session", now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ended, err := e.IsEnded(b.Context(), "bench-session", now); err != nil || ended {
			b.Fatal(ended, err)
		}
	}
}
