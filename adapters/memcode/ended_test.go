package memcode_test

import (
	"context"
	"testing"
	"time"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestEndedSessionsContract(t *testing.T) {
	portstest.TestEndedSessions(t, func(*testing.T) (ports.EndedSessions, ports.EndedSessions) {
		e := memcode.NewEndedSessions(15 * time.Minute)
		return e, e
	})
}

// An ended session is forgotten once its access tokens have expired, so
// the map does not grow for ever.
func TestEndedSessionsForget(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	e := memcode.NewEndedSessions(time.Minute)
	if err := e.MarkEnded(ctx, []string{"s1"}, now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Duration
		want bool
	}{{0, true}, {59 * time.Second, true}, {time.Minute, false}, {time.Hour, false}} {
		if got, _ := e.IsEnded(ctx, "s1", now.Add(c.at)); got != c.want {
			t.Errorf("at +%v: ended = %v, want %v", c.at, got, c.want)
		}
	}
}

// BenchmarkEndedSessionsIsEnded is the check every authenticated request
// makes on the embedded default.
func BenchmarkEndedSessionsIsEnded(b *testing.B) {
	e := memcode.NewEndedSessions(time.Minute)
	now := time.Now()
	_ = e.MarkEnded(context.Background(), []string{"other"}, now)
	for b.Loop() {
		if ended, _ := e.IsEnded(context.Background(), "bench-session", now); ended {
			b.Fatal("ended")
		}
	}
}
