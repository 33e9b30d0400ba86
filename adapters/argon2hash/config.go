package argon2hash

import (
	"runtime"
	"time"

	"github.com/authd/authd/domain"
)

// Params are the argon2id cost parameters of new hashes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams returns OWASP's argon2id recommendation: m=19 MiB, t=2, p=1,
// with a 16-byte salt and a 32-byte key.
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Limits on the parameters accepted, both in Config and in stored hashes. A
// stored hash is data: without a ceiling, one crafted row could make a
// single Verify allocate gigabytes or spin for minutes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 128
)

// valid reports whether p is within the limits above and argon2's own rules.
func (p Params) valid() bool {
	return p.Threads >= 1 && p.Time >= 1 && p.Time <= maxTime &&
		p.Memory >= 8*uint32(p.Threads) && p.Memory <= maxMemory &&
		p.SaltLen >= minSaltLen && p.SaltLen <= maxSaltLen &&
		p.KeyLen >= minKeyLen && p.KeyLen <= maxKeyLen
}

// Config sizes the hasher.
type Config struct {
	// Concurrency is AUTHD_PASSWORD_HASH_CONCURRENCY: how many hashes run at
	// once; 0 means runtime.NumCPU().
	Concurrency int
	// QueueTimeout is AUTHD_PASSWORD_HASH_QUEUE_TIMEOUT: how long a caller
	// waits for a slot before getting domain.ErrUnavailable; 0 means 2s.
	QueueTimeout time.Duration
	// Params are the cost of new hashes; the zero value means
	// DefaultParams(). Tests set cheap ones.
	Params Params
}

// Validate checks the sizes and, when set, the parameters.
func (c Config) Validate() error {
	if c.Concurrency < 0 {
		return &domain.ConfigError{Key: "AUTHD_PASSWORD_HASH_CONCURRENCY", Msg: "must not be negative"}
	}
	if c.QueueTimeout < 0 {
		return &domain.ConfigError{Key: "AUTHD_PASSWORD_HASH_QUEUE_TIMEOUT", Msg: "must not be negative"}
	}
	if c.Params != (Params{}) && !c.Params.valid() {
		return &domain.ConfigError{Key: "argon2hash.Params", Msg: "argon2id parameters out of range"}
	}
	return nil
}

// withDefaults fills the zero values.
func (c Config) withDefaults() Config {
	if c.Concurrency == 0 {
		c.Concurrency = runtime.NumCPU()
	}
	if c.QueueTimeout == 0 {
		c.QueueTimeout = 2 * time.Second
	}
	if c.Params == (Params{}) {
		c.Params = DefaultParams()
	}
	return c
}
