package jwttokens

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/authd/authd/ports"
)

var _ ports.Tokens = (*Tokens)(nil)

// tokenType is the "typ" header of RFC 9068 access tokens: it keeps an ID
// token or any other JWT signed by the same key from passing as one.
const tokenType = "at+jwt"

// Tokens implements ports.Tokens with Ed25519 keys: one fixed key (from
// AUTHD_JWT_KEY_FILE), or the rotating keys every instance shares through
// ports.SigningKeys (see NewRotating).
type Tokens struct {
	issuer   string
	audience string
	ttl      time.Duration
	keys     atomic.Pointer[keySet]
	ring     *keyring // nil with a fixed key
}

// verifiedCacheSize is the tokens kept per generation: a few MiB at most.
const verifiedCacheSize = 4096

// New loads (or generates, see Config.KeyFile) the signing key and derives
// its key id and JWK Set once.
func New(cfg Config, log *slog.Logger) (*Tokens, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	priv, err := loadKey(cfg, log)
	if err != nil {
		return nil, err
	}
	return newTokens(cfg, priv)
}

// newTokens builds Tokens around one fixed key; cfg has its defaults.
func newTokens(cfg Config, priv ed25519.PrivateKey) (*Tokens, error) {
	pub, _ := priv.Public().(ed25519.PublicKey)
	kid, err := thumbprint(pub)
	if err != nil {
		return nil, err
	}
	ks, err := newKeySet([]signer{{kid: kid, priv: priv}}, []publicKey{{kid, pub}}, kid)
	if err != nil {
		return nil, err
	}
	t := &Tokens{issuer: cfg.Issuer, audience: cfg.Audience, ttl: cfg.AccessTTL}
	t.keys.Store(ks)
	return t, nil
}

// snapshot is the current key set. Rotating Tokens have none before their
// start hook ran; fx starts them before anything that uses them.
func (t *Tokens) snapshot() (*keySet, error) {
	ks := t.keys.Load()
	if ks == nil {
		return nil, errors.New("jwttokens: keys not loaded yet")
	}
	return ks, nil
}

// JWKS returns the public JWK Set as JSON: every key that is or will be
// signing, and retired ones until their last token has expired. The slice
// is shared: do not modify it.
func (t *Tokens) JWKS() []byte {
	ks, err := t.snapshot()
	if err != nil {
		return []byte(`{"keys":[]}`)
	}
	return ks.jwks
}

// KeyID returns the "kid" of the key that signs now.
func (t *Tokens) KeyID() string {
	ks, err := t.snapshot()
	if err != nil {
		return ""
	}
	s, err := ks.signerAt(time.Now())
	if err != nil {
		return ""
	}
	return s.kid
}

// IssueAccess implements ports.Tokens.
func (t *Tokens) IssueAccess(_ context.Context, userID, sessionID string, now time.Time) (ports.AccessToken, error) {
	if userID == "" || sessionID == "" {
		return ports.AccessToken{}, errors.New("jwttokens: issue access token without user or session id")
	}
	// The claims carry whole seconds; ExpiresAt must say what exp says.
	iat := now.Truncate(time.Second)
	exp := iat.Add(t.ttl)
	// A fixed struct marshalled once, then signed as a JWS: the same token
	// jwt.Sign makes, without its generic claim map on the hot path.
	payload, err := json.Marshal(claims{Iss: t.issuer, Aud: audience{t.audience}, Sub: userID,
		Jti: uuid.NewString(), Sid: sessionID, Iat: ptr(iat.Unix()), Exp: ptr(exp.Unix())})
	if err != nil {
		return ports.AccessToken{}, fmt.Errorf("jwttokens: claims: %w", err)
	}
	ks, err := t.snapshot()
	if err != nil {
		return ports.AccessToken{}, err
	}
	key, err := ks.signerAt(now)
	if err != nil {
		return ports.AccessToken{}, err
	}
	hdr := jws.NewHeaders()
	if err := errors.Join(hdr.Set(jws.KeyIDKey, key.kid), hdr.Set(jws.TypeKey, tokenType)); err != nil {
		return ports.AccessToken{}, fmt.Errorf("jwttokens: headers: %w", err)
	}
	signed, err := jws.Sign(payload, jws.WithKey(jwa.EdDSA, key.priv, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return ports.AccessToken{}, fmt.Errorf("jwttokens: sign: %w", err)
	}
	return ports.AccessToken{Token: string(signed), ExpiresAt: exp, TTL: t.ttl}, nil
}

func ptr[T any](v T) *T { return &v }
