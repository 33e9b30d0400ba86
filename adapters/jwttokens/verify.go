package jwttokens

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwt"

	"github.com/authd/authd/domain"
)

// maxTokenLen bounds the work an attacker can ask of one request; our
// tokens are a few hundred bytes.
const maxTokenLen = 4096

// header is the part of the JOSE header checked before the signature.
type header struct {
	Alg  string          `json:"alg"`
	Typ  string          `json:"typ"`
	Kid  string          `json:"kid"`
	Crit json.RawMessage `json:"crit"`
}

// VerifyAccess implements ports.Tokens: a compact JWS with our algorithm,
// type and key id, a valid signature, our issuer and audience, unexpired at
// now. Every failure is domain.ErrInvalidToken, with no detail: callers get
// nothing to probe with.
func (t *Tokens) VerifyAccess(_ context.Context, token string, now time.Time) (domain.AccessClaims, error) {
	if len(token) > maxTokenLen || !t.headerOK(token) {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	opts := append(t.parse[:len(t.parse):len(t.parse)], jwt.WithClock(jwt.ClockFunc(func() time.Time { return now })))
	tok, err := jwt.ParseString(token, opts...)
	if err != nil {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	sid, _ := tok.PrivateClaims()[sessionClaim].(string)
	if tok.Subject() == "" || tok.JwtID() == "" || sid == "" {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	return domain.AccessClaims{
		Subject:   tok.Subject(),
		ID:        tok.JwtID(),
		SessionID: sid,
		IssuedAt:  tok.IssuedAt(),
		ExpiresAt: tok.Expiration(),
	}, nil
}

// headerOK checks the protected header of a compact JWS before any
// cryptography: alg pinned to EdDSA (no "none", no HMAC keyed with the
// public key), the access token type, our key id, and no critical
// extensions, since we implement none.
func (t *Tokens) headerOK(token string) bool {
	encoded, rest, ok := strings.Cut(token, ".")
	if !ok || strings.Count(rest, ".") != 1 {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return false
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return false
	}
	typ := strings.TrimPrefix(strings.ToLower(h.Typ), "application/")
	return h.Alg == jwa.EdDSA.String() && typ == tokenType && h.Kid == t.kid && h.Crit == nil
}
