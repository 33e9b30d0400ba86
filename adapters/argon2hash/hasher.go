package argon2hash

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.Passwords = (*Hasher)(nil)

var errQueueTimeout = errors.New("timed out waiting for a hashing slot")

// keyFunc derives a key; tests swap it to observe the semaphore cheaply.
type keyFunc func(password, salt []byte, p Params) []byte

func argon2id(password, salt []byte, p Params) []byte {
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// Hasher implements ports.Passwords with argon2id under a semaphore.
type Hasher struct {
	params  Params
	slots   chan struct{}
	timeout time.Duration
	key     keyFunc
	// dummy is what an empty or malformed hash is checked against, so that
	// "no password" costs what a wrong password costs.
	dummy     phc
	dummyRuns atomic.Int64 // for tests: proof the dummy path ran
}

// New validates cfg and precomputes the dummy hash (one hash at start).
func New(cfg Config) (*Hasher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	h := &Hasher{
		params:  cfg.Params,
		slots:   make(chan struct{}, cfg.Concurrency),
		timeout: cfg.QueueTimeout,
		key:     argon2id,
	}
	secret := make([]byte, 32)
	salt := make([]byte, cfg.Params.SaltLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("argon2hash: random: %w", err)
	}
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("argon2hash: random: %w", err)
	}
	h.dummy = phc{params: cfg.Params, salt: salt, key: argon2id(secret, salt, cfg.Params)}
	return h, nil
}

// Hash returns a PHC string for plain with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, plain string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("argon2hash: random: %w", err)
	}
	key, err := h.derive(ctx, []byte(plain), salt, h.params)
	if err != nil {
		return "", err
	}
	return phc{params: h.params, salt: salt, key: key}.encode(), nil
}

// Verify reports whether plain matches hash. Hashes of any argon2id
// parameters within the limits verify; an empty or malformed hash costs one
// dummy hash and reports false without an error.
func (h *Hasher) Verify(ctx context.Context, hash, plain string) (bool, error) {
	stored, err := parsePHC(hash)
	if err != nil {
		h.dummyRuns.Add(1)
		if _, err := h.derive(ctx, []byte(plain), h.dummy.salt, h.dummy.params); err != nil {
			return false, err
		}
		return false, nil
	}
	key, err := h.derive(ctx, []byte(plain), stored.salt, stored.params)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(key, stored.key) == 1, nil
}

// derive runs the key function in a semaphore slot.
func (h *Hasher) derive(ctx context.Context, password, salt []byte, p Params) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer func() { <-h.slots }()
	return h.key(password, salt, p), nil
}

// acquire takes a slot, waiting at most the queue timeout and never past
// ctx; either limit ends as domain.ErrUnavailable (503, retry later).
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return domain.Unavailable("password hashing", err)
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	timer := time.NewTimer(h.timeout)
	defer timer.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-timer.C:
		return domain.Unavailable("password hashing", errQueueTimeout)
	case <-ctx.Done():
		return domain.Unavailable("password hashing", ctx.Err())
	}
}
