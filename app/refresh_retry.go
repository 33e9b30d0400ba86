package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// retryRule makes refresh rotation retry-safe: the successor of a refresh
// token is a keyed hash of it, so presenting a token again (the first
// answer was lost, or two tabs refreshed at once) names the same successor,
// which the store hands back within interval instead of calling it reuse.
// Only the successor's SHA-256 is stored, and without the key nobody can
// derive it from a leaked token hash or a parent.
type retryRule struct {
	key      []byte
	interval time.Duration
}

func newRetryRule(cfg Config) retryRule {
	// A key of its own, derived from the shared code secret, so that every
	// instance derives the same successor and no code digest is ever a
	// refresh token.
	m := hmac.New(sha256.New, cfg.CodeSecret)
	m.Write([]byte("authd refresh-token successor key"))
	return retryRule{key: m.Sum(nil), interval: cfg.RefreshReuseInterval}
}

// successor derives the token that replaces parent, and its stored hash.
func (r retryRule) successor(parent string) (string, []byte) {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(parent))
	tok := base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	return tok, hashRefreshToken(tok)
}
