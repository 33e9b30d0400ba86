package portstest

import (
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// event is the n-th event of the suites: ids increase with n, as UUID v7
// ids do with time.
func event(n int, user string, typ domain.EventType) domain.Event {
	return domain.Event{ID: testID('e', n), Type: typ, UserID: user,
		At: contractTime.Add(time.Duration(n) * time.Minute), IP: "203.0.113.7", UserAgent: "app/1.0"}
}

// TestEvents is the contract every ports.Events must pass.
func TestEvents(t *testing.T, newStore func(t *testing.T) ports.Events) {
	t.Run("record and list newest first with details", func(t *testing.T) {
		s := newStore(t)
		first := event(1, "u1", domain.EventSessionCreated)
		first.Details = map[string]any{"method": "sms"}
		second := event(2, "u1", domain.EventPasswordChanged)
		second.Actor = "admin:ops"
		wantErr(t, "record", s.RecordEvents(ctx(t), first, second), nil)
		got, next, err := s.ListEvents(ctx(t), ports.EventFilter{UserID: "u1"}, "", 10)
		wantErr(t, "list", err, nil)
		if next != "" || len(got) != 2 {
			t.Fatalf("list = %d events, next %q; want 2, none", len(got), next)
		}
		if got[0].ID != second.ID || got[1].ID != first.ID {
			t.Fatalf("order = %s, %s; want newest first", got[0].ID, got[1].ID)
		}
		g := got[1]
		if g.Type != first.Type || g.UserID != "u1" || g.IP != first.IP || g.UserAgent != first.UserAgent {
			t.Errorf("event = %+v, want %+v", g, first)
		}
		sameTime(t, "at", g.At, first.At)
		if g.Details["method"] != "sms" {
			t.Errorf("details = %v, want method sms", g.Details)
		}
		if got[0].Actor != "admin:ops" {
			t.Errorf("actor = %q, want admin:ops", got[0].Actor)
		}
	})
	t.Run("filters", func(t *testing.T) {
		s := newStore(t)
		wantErr(t, "record", s.RecordEvents(ctx(t),
			event(1, "u1", domain.EventSessionCreated),
			event(2, "u2", domain.EventSessionCreated),
			event(3, "u1", domain.EventLoginFailed),
			event(4, "", domain.EventSMSBlocked)), nil)
		cases := []struct {
			name string
			f    ports.EventFilter
			want []int
		}{
			{"all", ports.EventFilter{}, []int{4, 3, 2, 1}},
			{"user", ports.EventFilter{UserID: "u1"}, []int{3, 1}},
			{"type", ports.EventFilter{Type: domain.EventSessionCreated}, []int{2, 1}},
			{"user and type", ports.EventFilter{UserID: "u1", Type: domain.EventLoginFailed}, []int{3}},
			{"since", ports.EventFilter{Since: contractTime.Add(3 * time.Minute)}, []int{4, 3}},
			{"nothing", ports.EventFilter{UserID: "nobody"}, nil},
		}
		for _, c := range cases {
			got, _, err := s.ListEvents(ctx(t), c.f, "", 10)
			wantErr(t, c.name, err, nil)
			if ids(got) != ids(wantEvents(c.want)) {
				t.Errorf("%s: got %s, want %s", c.name, ids(got), ids(wantEvents(c.want)))
			}
		}
	})
	t.Run("pages stay stable while events are added", func(t *testing.T) {
		s := newStore(t)
		for n := 1; n <= 5; n++ {
			wantErr(t, "record", s.RecordEvents(ctx(t), event(n, "u1", domain.EventSessionCreated)), nil)
		}
		page1, next, err := s.ListEvents(ctx(t), ports.EventFilter{}, "", 2)
		wantErr(t, "page 1", err, nil)
		if ids(page1) != ids(wantEvents([]int{5, 4})) || next == "" {
			t.Fatalf("page 1 = %s next %q", ids(page1), next)
		}
		// A newer event arrives between pages: it belongs before page 1.
		wantErr(t, "record", s.RecordEvents(ctx(t), event(6, "u1", domain.EventSessionCreated)), nil)
		page2, next, err := s.ListEvents(ctx(t), ports.EventFilter{}, next, 2)
		wantErr(t, "page 2", err, nil)
		if ids(page2) != ids(wantEvents([]int{3, 2})) || next == "" {
			t.Fatalf("page 2 = %s next %q", ids(page2), next)
		}
		page3, next, err := s.ListEvents(ctx(t), ports.EventFilter{}, next, 2)
		wantErr(t, "page 3", err, nil)
		if ids(page3) != ids(wantEvents([]int{1})) || next != "" {
			t.Fatalf("page 3 = %s next %q, want the last event and no cursor", ids(page3), next)
		}
	})
	t.Run("prune in batches", func(t *testing.T) {
		s := newStore(t)
		for n := 1; n <= 5; n++ {
			wantErr(t, "record", s.RecordEvents(ctx(t), event(n, "u1", domain.EventSessionCreated)), nil)
		}
		cut := contractTime.Add(4 * time.Minute) // events 1, 2, 3 are older
		n, err := s.PruneEvents(ctx(t), cut, 2)
		wantErr(t, "prune", err, nil)
		if n != 2 {
			t.Fatalf("first batch pruned %d, want 2", n)
		}
		n, err = s.PruneEvents(ctx(t), cut, 2)
		wantErr(t, "prune", err, nil)
		if n != 1 {
			t.Fatalf("second batch pruned %d, want 1", n)
		}
		got, _, err := s.ListEvents(ctx(t), ports.EventFilter{}, "", 10)
		wantErr(t, "list", err, nil)
		if ids(got) != ids(wantEvents([]int{5, 4})) {
			t.Fatalf("left %s, want events 5 and 4", ids(got))
		}
	})
}

func wantEvents(ns []int) []domain.Event {
	evs := make([]domain.Event, len(ns))
	for i, n := range ns {
		evs[i] = domain.Event{ID: testID('e', n)}
	}
	return evs
}

func ids(evs []domain.Event) string {
	s := make([]string, len(evs))
	for i, e := range evs {
		s[i] = e.ID
	}
	return fmt.Sprint(s)
}
