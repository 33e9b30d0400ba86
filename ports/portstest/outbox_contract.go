package portstest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// OutboxStore is the event log seen as the webhook outbox.
type OutboxStore interface {
	ports.Events
	ports.WebhookOutbox
}

func claimIDs(evs []ports.OutboxEvent) string {
	plain := make([]domain.Event, len(evs))
	for i, e := range evs {
		plain[i] = e.Event
	}
	return ids(plain)
}

// TestWebhookOutbox is the contract every ports.WebhookOutbox must pass.
func TestWebhookOutbox(t *testing.T, newStore func(t *testing.T) OutboxStore) {
	now := contractTime.Add(time.Hour)
	lease := time.Minute
	claim := func(t *testing.T, s OutboxStore, owner string, at time.Time) []ports.OutboxEvent {
		t.Helper()
		evs, err := s.ClaimWebhookEvents(ctx(t), owner, at, lease, 10)
		wantErr(t, "claim", err, nil)
		return evs
	}
	want := func(t *testing.T, what string, got []ports.OutboxEvent, ns ...int) {
		t.Helper()
		if claimIDs(got) != ids(wantEvents(ns)) {
			t.Fatalf("%s = %s, want %s", what, claimIDs(got), ids(wantEvents(ns)))
		}
	}
	record := func(t *testing.T, s OutboxStore, evs ...domain.Event) {
		t.Helper()
		wantErr(t, "record", s.RecordEvents(ctx(t), evs...), nil)
	}
	t.Run("per user only the oldest pending, webhook types only", func(t *testing.T) {
		s := newStore(t)
		first := event(1, "u1", domain.EventUserCreated)
		first.Details = map[string]any{"method": "admin"}
		record(t, s, first, event(2, "u1", domain.EventSessionCreated), event(3, "u2", domain.EventLoginFailed),
			event(4, "u2", domain.EventPasswordChanged), event(5, "", domain.EventSMSBlocked), event(6, "", domain.EventSMSBlocked))
		got := claim(t, s, "a", now)
		want(t, "claim", got, 1, 4, 5, 6)
		if got[0].Details["method"] != "admin" || got[0].Status != ports.WebhookPending || !got[0].RetryFrom.Equal(first.At) {
			t.Errorf("claimed = %+v", got[0])
		}
		want(t, "claim while leased", claim(t, s, "b", now))
		wantErr(t, "settle", s.SettleWebhookEvent(ctx(t), got[0].ID, ports.WebhookSettlement{Status: ports.WebhookDelivered}), nil)
		want(t, "claim after delivery", claim(t, s, "b", now), 2)
	})
	t.Run("a lease that ends frees the event (a dispatcher died)", func(t *testing.T) {
		s := newStore(t)
		record(t, s, event(1, "u1", domain.EventUserCreated))
		want(t, "claim", claim(t, s, "a", now), 1)
		want(t, "during lease", claim(t, s, "b", now.Add(lease-time.Second)))
		want(t, "after lease", claim(t, s, "b", now.Add(lease)), 1)
	})
	t.Run("a failed attempt waits for its next try and keeps what was done", func(t *testing.T) {
		s := newStore(t)
		record(t, s, event(1, "u1", domain.EventUserCreated), event(2, "u1", domain.EventUserUpdated))
		got := claim(t, s, "a", now)
		want(t, "claim", got, 1)
		wantErr(t, "settle", s.SettleWebhookEvent(ctx(t), got[0].ID, ports.WebhookSettlement{Status: ports.WebhookPending,
			Done: []string{"r1"}, Error: "503 from r2", NextAt: now.Add(10 * time.Second)}), nil)
		want(t, "before next try (and the user's next event waits)", claim(t, s, "a", now.Add(5*time.Second)))
		got = claim(t, s, "a", now.Add(10*time.Second))
		want(t, "at next try", got, 1)
		if got[0].Attempts != 1 || len(got[0].Done) != 1 || got[0].Done[0] != "r1" || got[0].LastError != "503 from r2" {
			t.Errorf("retried = %+v", got[0])
		}
	})
	t.Run("dead events: counted, listed, replayed; the next one goes on", func(t *testing.T) {
		s := newStore(t)
		record(t, s, event(1, "u1", domain.EventUserCreated), event(2, "u1", domain.EventUserUpdated), event(3, "u2", domain.EventUserCreated))
		got := claim(t, s, "a", now)
		want(t, "claim", got, 1, 3)
		wantErr(t, "dead", s.SettleWebhookEvent(ctx(t), got[0].ID, ports.WebhookSettlement{Status: ports.WebhookDead, Error: "gave up"}), nil)
		wantErr(t, "delivered", s.SettleWebhookEvent(ctx(t), got[1].ID, ports.WebhookSettlement{Status: ports.WebhookDelivered}), nil)
		st, err := s.WebhookStats(ctx(t))
		wantErr(t, "stats", err, nil)
		if st.Pending != 1 || st.Dead != 1 || st.Delivered != 1 || !st.OldestPending.Equal(event(2, "", "").At) {
			t.Errorf("stats = %+v", st)
		}
		dead, err := s.DeadWebhookEvents(ctx(t), 10)
		wantErr(t, "dead list", err, nil)
		if len(dead) != 1 || dead[0].ID != testID('e', 1) || dead[0].LastError != "gave up" || dead[0].Attempts != 1 {
			t.Fatalf("dead = %+v", dead)
		}
		want(t, "next of the user", claim(t, s, "a", now), 2)
		n, err := s.ReplayWebhookEvents(ctx(t), nil, now.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("replay = %d, %v", n, err)
		}
		got = claim(t, s, "a", now.Add(2*time.Hour))
		want(t, "replayed (event 2 still leased until settled)", got, 1)
		if got[0].Attempts != 0 || !got[0].RetryFrom.Equal(now.Add(time.Hour)) {
			t.Errorf("replayed = %+v", got[0])
		}
		if n, _ := s.ReplayWebhookEvents(ctx(t), []string{testID('e', 3)}, now); n != 0 {
			t.Errorf("replayed a delivered event: %d", n)
		}
	})
	t.Run("concurrent claims never share an event", func(t *testing.T) {
		s := newStore(t)
		var evs []domain.Event
		for n := 1; n <= 40; n++ {
			evs = append(evs, event(n, fmt.Sprint("u", n), domain.EventUserCreated))
		}
		record(t, s, evs...)
		var mu sync.Mutex
		seen := map[string]int{}
		errs := concurrently(8, func(i int) error {
			for range 3 {
				got, err := s.ClaimWebhookEvents(ctx(t), fmt.Sprint("owner", i), now, lease, 3)
				if err != nil {
					return err
				}
				mu.Lock()
				for _, e := range got {
					seen[e.ID]++
				}
				mu.Unlock()
			}
			return nil
		})
		for _, err := range errs {
			wantErr(t, "claim", err, nil)
		}
		for id, n := range seen {
			if n > 1 {
				t.Errorf("%s claimed %d times", id, n)
			}
		}
		if len(seen) == 0 {
			t.Error("nothing claimed")
		}
	})
}
