package portstest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/authd/authd/ports"
)

// TestEndedSessions is the contract every ports.EndedSessions must pass.
// newPair returns two handles on one store, as two instances of authd
// would hold (the same value for an in-process store).
func TestEndedSessions(t *testing.T, newPair func(t *testing.T) (a, b ports.EndedSessions)) {
	now := time.Now()
	sid := func() string { return "sess-" + rand.Text() }
	wantEnded := func(t *testing.T, what string, s ports.EndedSessions, id string, want bool) {
		t.Helper()
		got, err := s.IsEnded(ctx(t), id, now)
		wantErr(t, what, err, nil)
		if got != want {
			t.Fatalf("%s: IsEnded(%s) = %v, want %v", what, id, got, want)
		}
	}
	t.Run("unknown sessions are not ended", func(t *testing.T) {
		a, b := newPair(t)
		wantEnded(t, "at a", a, sid(), false)
		wantEnded(t, "at b", b, sid(), false)
	})
	t.Run("a marked session is ended, the others not", func(t *testing.T) {
		a, _ := newPair(t)
		one, two, other := sid(), sid(), sid()
		wantErr(t, "mark", a.MarkEnded(ctx(t), []string{one, two}, now), nil)
		wantEnded(t, "first", a, one, true)
		wantEnded(t, "second", a, two, true)
		wantEnded(t, "other", a, other, false)
		wantErr(t, "mark nothing", a.MarkEnded(ctx(t), nil, now), nil)
		wantErr(t, "mark again", a.MarkEnded(ctx(t), []string{one}, now), nil)
		wantEnded(t, "marked twice", a, one, true)
	})
	t.Run("the other handle sees it within a second", func(t *testing.T) {
		a, b := newPair(t)
		id := sid()
		// b reads first: a cache that remembered "not ended" must learn.
		for range 3 {
			wantEnded(t, "before", b, id, false)
		}
		wantErr(t, "mark", a.MarkEnded(ctx(t), []string{id}, now), nil)
		deadline := time.Now().Add(time.Second)
		for {
			ended, err := b.IsEnded(ctx(t), id, now)
			wantErr(t, "at b", err, nil)
			if ended {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("b did not see the session end within a second")
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}
