package portstest

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/ports"
)

var _ ports.EndedSessions = (*EndedSessions)(nil)

// EndedSessions is an in-memory ports.EndedSessions that never forgets.
// Err, when set, is returned by every call (an unreachable store).
type EndedSessions struct {
	mu    sync.Mutex
	ended map[string]bool
	Err   error
}

// MarkEnded implements ports.EndedSessions.
func (e *EndedSessions) MarkEnded(_ context.Context, ids []string, _ time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.Err != nil {
		return e.Err
	}
	if e.ended == nil {
		e.ended = map[string]bool{}
	}
	for _, id := range ids {
		e.ended[id] = true
	}
	return nil
}

// IsEnded implements ports.EndedSessions.
func (e *EndedSessions) IsEnded(_ context.Context, id string, _ time.Time) (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.Err != nil {
		return false, e.Err
	}
	return e.ended[id], nil
}
