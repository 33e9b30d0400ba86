package jwttokens

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"

	"github.com/authd/authd/ports"
)

var _ ports.Tokens = (*Tokens)(nil)

// tokenType is the "typ" header of RFC 9068 access tokens: it keeps an ID
// token or any other JWT signed by the same key from passing as one.
const tokenType = "at+jwt"

// Tokens implements ports.Tokens with one Ed25519 key.
type Tokens struct {
	issuer   string
	audience string
	ttl      time.Duration
	priv     ed25519.PrivateKey
	kid      string
	jwks     []byte
	pub      ed25519.PublicKey
	verified *verifiedCache
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

// newTokens builds Tokens around a parsed key; cfg has its defaults.
func newTokens(cfg Config, priv ed25519.PrivateKey) (*Tokens, error) {
	pub, _ := priv.Public().(ed25519.PublicKey)
	kid, jwks, err := publish(pub)
	if err != nil {
		return nil, err
	}
	return &Tokens{
		issuer: cfg.Issuer, audience: cfg.Audience, ttl: cfg.AccessTTL,
		priv: priv, kid: kid, jwks: jwks,
		pub: pub, verified: newVerifiedCache(verifiedCacheSize),
	}, nil
}

// publish returns the RFC 7638 thumbprint of pub as the key id, and the
// public JWK Set that /.well-known/jwks.json serves.
func publish(pub ed25519.PublicKey) (kid string, set []byte, err error) {
	key, err := jwk.FromRaw(pub)
	if err != nil {
		return "", nil, fmt.Errorf("jwk from ed25519 key: %w", err)
	}
	tp, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", nil, fmt.Errorf("jwk thumbprint: %w", err)
	}
	kid = base64.RawURLEncoding.EncodeToString(tp)
	for k, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: jwa.EdDSA, jwk.KeyUsageKey: jwk.ForSignature} {
		if err := key.Set(k, v); err != nil {
			return "", nil, fmt.Errorf("jwk set %s: %w", k, err)
		}
	}
	keys := jwk.NewSet()
	if err := keys.AddKey(key); err != nil {
		return "", nil, fmt.Errorf("jwk set: %w", err)
	}
	set, err = json.Marshal(keys)
	if err != nil {
		return "", nil, fmt.Errorf("marshal jwks: %w", err)
	}
	return kid, set, nil
}

// JWKS returns the public JWK Set as JSON. The slice is shared: do not
// modify it.
func (t *Tokens) JWKS() []byte { return t.jwks }

// KeyID returns the "kid" of the signing key.
func (t *Tokens) KeyID() string { return t.kid }

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
	hdr := jws.NewHeaders()
	if err := errors.Join(hdr.Set(jws.KeyIDKey, t.kid), hdr.Set(jws.TypeKey, tokenType)); err != nil {
		return ports.AccessToken{}, fmt.Errorf("jwttokens: headers: %w", err)
	}
	signed, err := jws.Sign(payload, jws.WithKey(jwa.EdDSA, t.priv, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return ports.AccessToken{}, fmt.Errorf("jwttokens: sign: %w", err)
	}
	return ports.AccessToken{Token: string(signed), ExpiresAt: exp, TTL: t.ttl}, nil
}

func ptr[T any](v T) *T { return &v }
