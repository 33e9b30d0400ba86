package portstest

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.AdminKeys = (*AdminKeys)(nil)

// AdminKeys is an in-memory ports.AdminKeys; it passes TestAdminKeys. Err,
// when set, is returned by every call (a database that is down).
type AdminKeys struct {
	mu   sync.Mutex
	keys []domain.AdminKey
	Err  error
}

// NewAdminKeys returns an empty key store.
func NewAdminKeys() *AdminKeys { return &AdminKeys{} }

// CreateAdminKey stores k unless a live key has its name.
func (s *AdminKeys) CreateAdminKey(_ context.Context, k domain.AdminKey) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	for _, o := range s.keys {
		if o.Name == k.Name && o.Live() {
			return domain.ErrAdminKeyNameTaken
		}
	}
	k.Hash = slices.Clone(k.Hash)
	s.keys = append(s.keys, k)
	return nil
}

// AdminKeyByID finds a key.
func (s *AdminKeys) AdminKeyByID(_ context.Context, id string) (domain.AdminKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return domain.AdminKey{}, s.Err
	}
	for _, k := range s.keys {
		if k.ID == id {
			return k, nil
		}
	}
	return domain.AdminKey{}, domain.ErrNotFound
}

// ListAdminKeys returns the keys oldest first.
func (s *AdminKeys) ListAdminKeys(context.Context) ([]domain.AdminKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return nil, s.Err
	}
	out := slices.Clone(s.keys)
	slices.SortStableFunc(out, func(a, b domain.AdminKey) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// RevokeAdminKey revokes the live key of this name.
func (s *AdminKeys) RevokeAdminKey(_ context.Context, name string, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		return s.Err
	}
	for i, k := range s.keys {
		if k.Name == name && k.Live() {
			s.keys[i].RevokedAt = now
			return nil
		}
	}
	return domain.ErrNotFound
}
