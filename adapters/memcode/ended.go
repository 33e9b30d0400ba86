package memcode

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/ports"
)

var _ ports.EndedSessions = (*EndedSessions)(nil)

// EndedSessions is the in-process ports.EndedSessions of the embedded
// default (one instance): a map from session id to when its last access
// token expires, swept as it grows.
type EndedSessions struct {
	keep      time.Duration
	mu        sync.RWMutex
	ended     map[string]time.Time
	nextSweep time.Time
}

// NewEndedSessions remembers an ended session for keep: at least the
// access token lifetime, after which its tokens fail verification anyway.
func NewEndedSessions(keep time.Duration) *EndedSessions {
	return &EndedSessions{keep: keep, ended: map[string]time.Time{}}
}

// MarkEnded implements ports.EndedSessions.
func (e *EndedSessions) MarkEnded(_ context.Context, ids []string, now time.Time) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !now.Before(e.nextSweep) {
		for id, until := range e.ended {
			if !now.Before(until) {
				delete(e.ended, id)
			}
		}
		e.nextSweep = now.Add(sweepEvery)
	}
	for _, id := range ids {
		e.ended[id] = now.Add(e.keep)
	}
	return nil
}

// IsEnded implements ports.EndedSessions.
func (e *EndedSessions) IsEnded(_ context.Context, id string, now time.Time) (bool, error) {
	e.mu.RLock()
	until, ok := e.ended[id]
	e.mu.RUnlock()
	return ok && now.Before(until), nil
}
