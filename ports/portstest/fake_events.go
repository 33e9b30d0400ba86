package portstest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.Events = (*Events)(nil)

// Events is an in-memory ports.Events for use-case tests; it passes
// TestEvents.
type Events struct {
	mu  sync.Mutex
	evs []domain.Event // in id order
}

// NewEvents returns an empty event log.
func NewEvents() *Events { return &Events{} }

// RecordEvents stores copies of evs.
func (s *Events) RecordEvents(_ context.Context, evs ...domain.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range evs {
		e.Details = maps.Clone(e.Details)
		s.evs = append(s.evs, e)
	}
	slices.SortFunc(s.evs, func(a, b domain.Event) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

// ListEvents pages newest first by id.
func (s *Events) ListEvents(_ context.Context, f ports.EventFilter, cursor string, limit int) ([]domain.Event, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.Event
	for i := len(s.evs) - 1; i >= 0 && len(out) <= limit; i-- {
		e := s.evs[i]
		switch {
		case cursor != "" && e.ID >= cursor,
			f.UserID != "" && e.UserID != f.UserID,
			f.Type != "" && e.Type != f.Type,
			!f.Since.IsZero() && e.At.Before(f.Since):
			continue
		}
		e.Details = maps.Clone(e.Details)
		out = append(out, e)
	}
	if len(out) > limit {
		out = out[:limit]
		return out, out[limit-1].ID, nil
	}
	return out, "", nil
}

// PruneEvents deletes the oldest events before the cut-off, batch at most.
func (s *Events) PruneEvents(_ context.Context, before time.Time, batch int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	s.evs = slices.DeleteFunc(s.evs, func(e domain.Event) bool {
		if n < batch && e.At.Before(before) {
			n++
			return true
		}
		return false
	})
	return n, nil
}

// All returns every stored event, oldest first, for assertions.
func (s *Events) All() []domain.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.evs)
}
