package portstest

import (
	"bytes"
	"context"
	"slices"
	"sync"

	"github.com/authd/authd/ports"
)

// SigningKeys is an in-memory ports.SigningKeys. Err, when set, is returned
// by every call (to simulate an unreachable database).
type SigningKeys struct {
	mu   sync.Mutex
	keys []ports.SigningKey
	Err  error
}

var _ ports.SigningKeys = (*SigningKeys)(nil)

// ListSigningKeys implements ports.SigningKeys.
func (s *SigningKeys) ListSigningKeys(context.Context) ([]ports.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	out := make([]ports.SigningKey, len(s.keys))
	for i, k := range s.keys {
		k.PublicKey, k.SealedPrivateKey = bytes.Clone(k.PublicKey), bytes.Clone(k.SealedPrivateKey)
		out[i] = k
	}
	return out, nil
}

// AddSigningKey implements ports.SigningKeys.
func (s *SigningKeys) AddSigningKey(_ context.Context, k ports.SigningKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	for _, o := range s.keys {
		if o.ID == k.ID || o.Generation == k.Generation {
			return ports.ErrSigningKeyTaken
		}
	}
	k.PublicKey, k.SealedPrivateKey = bytes.Clone(k.PublicKey), bytes.Clone(k.SealedPrivateKey)
	k.CreatedAt, k.ActiveFrom = k.CreatedAt.UTC(), k.ActiveFrom.UTC()
	s.keys = append(s.keys, k)
	slices.SortFunc(s.keys, func(a, b ports.SigningKey) int { return int(a.Generation - b.Generation) })
	return nil
}

// DeleteSigningKey implements ports.SigningKeys.
func (s *SigningKeys) DeleteSigningKey(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	s.keys = slices.DeleteFunc(s.keys, func(k ports.SigningKey) bool { return k.ID == id })
	return nil
}
