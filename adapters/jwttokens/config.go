package jwttokens

import (
	"time"

	"github.com/authd/authd/domain"
)

// Config sets the claims, the lifetime and where the signing key comes from.
type Config struct {
	// Issuer is AUTHD_JWT_ISSUER, the "iss" claim; empty means "authd".
	Issuer string
	// Audience is AUTHD_JWT_AUDIENCE, the "aud" claim; empty means "authd".
	Audience string
	// AccessTTL is AUTHD_JWT_ACCESS_TTL, the token lifetime; 0 means 15m.
	AccessTTL time.Duration
	// KeyFile is AUTHD_JWT_KEY_FILE: a PEM PKCS#8 Ed25519 private key (what
	// "authd keys generate" prints). Empty means the generated key in DataDir
	// for New; NewRotating imports that file, if any, as its first key.
	KeyFile string
	// DataDir is AUTHD_DATA_DIR, where a generated key is kept as
	// jwt-ed25519.pem; empty means "./data".
	DataDir string
}

// Validate checks the lifetime; the key is checked when New loads it.
func (c Config) Validate() error {
	if c.AccessTTL < 0 {
		return &domain.ConfigError{Key: "AUTHD_JWT_ACCESS_TTL", Msg: "must not be negative"}
	}
	if c.AccessTTL > 0 && c.AccessTTL < time.Second {
		// exp has one-second resolution.
		return &domain.ConfigError{Key: "AUTHD_JWT_ACCESS_TTL", Msg: "must be at least 1s"}
	}
	return nil
}

// withDefaults fills the zero values.
func (c Config) withDefaults() Config {
	if c.Issuer == "" {
		c.Issuer = "authd"
	}
	if c.Audience == "" {
		c.Audience = "authd"
	}
	if c.AccessTTL == 0 {
		c.AccessTTL = 15 * time.Minute
	}
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	return c
}
