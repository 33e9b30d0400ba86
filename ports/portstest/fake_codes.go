package portstest

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/ports"
)

// Codes is the in-process code store (memcode) with two things the
// use-case tests need and a real store must not have: Err, when set, fails
// every call (a code store that is down), and the calls are recorded for
// assertions. The codes themselves are memcode's, so the fake cannot drift
// from the store the embedded default ships.
type Codes struct {
	mu        sync.Mutex
	store     *memcode.Store
	Issued    []ports.IssueCode
	Canceled  []ports.CodeKey
	Scopes    []ports.CancelScope // the scope of each Cancel, in order
	Withdrawn []ports.CodeKey     // keys Withdraw was called for
	Err       error
}

var _ ports.Codes = (*Codes)(nil)

// NewCodes returns an empty code store.
func NewCodes() *Codes { return &Codes{store: memcode.New()} }

// fail returns Err under the lock, so tests may set it between calls.
func (c *Codes) fail() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Err
}

// Issue implements ports.Codes.
func (c *Codes) Issue(ctx context.Context, in ports.IssueCode) error {
	if err := c.fail(); err != nil {
		return err
	}
	if err := c.store.Issue(ctx, in); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Issued = append(c.Issued, in)
	return nil
}

// Cancel implements ports.Codes.
func (c *Codes) Cancel(ctx context.Context, key ports.CodeKey, digest []byte, scope ports.CancelScope, now time.Time) error {
	if err := c.fail(); err != nil {
		return err
	}
	if err := c.store.Cancel(ctx, key, digest, scope, now); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Canceled = append(c.Canceled, key)
	c.Scopes = append(c.Scopes, scope)
	return nil
}

// Withdraw implements ports.Codes.
func (c *Codes) Withdraw(ctx context.Context, key ports.CodeKey, digest []byte, now time.Time) error {
	if err := c.fail(); err != nil {
		return err
	}
	if err := c.store.Withdraw(ctx, key, digest, now); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Withdrawn = append(c.Withdrawn, key)
	return nil
}

// Verify implements ports.Codes.
func (c *Codes) Verify(ctx context.Context, key ports.CodeKey, digest []byte, maxAttempts int, now time.Time) error {
	if err := c.fail(); err != nil {
		return err
	}
	return c.store.Verify(ctx, key, digest, maxAttempts, now)
}
