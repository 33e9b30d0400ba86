package jwttokens

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"

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
//
// It verifies with jws and decodes the claims into a fixed struct rather
// than going through jwt.Parse, whose generic claim handling cost as much
// as the Ed25519 check itself on the GET /v1/me path.
func (t *Tokens) VerifyAccess(_ context.Context, token string, now time.Time) (domain.AccessClaims, error) {
	ks, err := t.snapshot()
	if err != nil {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	if cl, ok := ks.verified.get(token); ok {
		if !inWindow(cl.IssuedAt.Unix(), cl.ExpiresAt.Unix(), nil, now) {
			return domain.AccessClaims{}, domain.ErrInvalidToken
		}
		return cl, nil
	}
	if len(token) > maxTokenLen {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	pub, ok := headerKey(ks, token)
	if !ok {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	payload, err := jws.Verify([]byte(token), jws.WithKey(jwa.EdDSA, pub))
	if err != nil {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil || !t.claimsOK(c, now) {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	cl := domain.AccessClaims{Subject: c.Sub, ID: c.Jti, SessionID: c.Sid,
		IssuedAt: time.Unix(*c.Iat, 0).UTC(), ExpiresAt: time.Unix(*c.Exp, 0).UTC()}
	if c.Nbf == nil {
		ks.verified.put(token, cl) // nbf-less, like ours: the window is iat..exp
	}
	return cl, nil
}

// claims are the members of our access tokens.
type claims struct {
	Iss string   `json:"iss"`
	Aud audience `json:"aud"`
	Sub string   `json:"sub"`
	Jti string   `json:"jti"`
	Sid string   `json:"sid"` // the login's refresh token family
	Iat *int64   `json:"iat"`
	Exp *int64   `json:"exp"`
	Nbf *int64   `json:"nbf,omitempty"`
}

// audience accepts the claim as a string or an array of strings (RFC 7519).
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*a = many
	return err
}

// skew is how far the clocks of several instances may disagree.
const skew = 5 * time.Second

// claimsOK checks issuer, audience, the required members and the time window.
func (t *Tokens) claimsOK(c claims, now time.Time) bool {
	if c.Iss != t.issuer || !slices.Contains(c.Aud, t.audience) || c.Sub == "" || c.Jti == "" || c.Sid == "" ||
		c.Iat == nil || c.Exp == nil {
		return false
	}
	return inWindow(*c.Iat, *c.Exp, c.Nbf, now)
}

// inWindow: issued (and not before nbf) by now, expiring after it, within
// the allowed skew.
func inWindow(iat, exp int64, nbf *int64, now time.Time) bool {
	n, s := now.Unix(), int64(skew/time.Second)
	return n < exp+s && iat <= n+s && (nbf == nil || *nbf <= n+s)
}

// headerKey checks the protected header of a compact JWS before any
// cryptography: alg pinned to EdDSA (no "none", no HMAC keyed with the
// public key), the access token type, a key id we publish, and no critical
// extensions, since we implement none. It returns the key named by kid.
func headerKey(ks *keySet, token string) (ed25519.PublicKey, bool) {
	encoded, rest, ok := strings.Cut(token, ".")
	if !ok || strings.Count(rest, ".") != 1 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return nil, false
	}
	var h header
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, false
	}
	typ := strings.TrimPrefix(strings.ToLower(h.Typ), "application/")
	if h.Alg != jwa.EdDSA.String() || typ != tokenType || h.Crit != nil {
		return nil, false
	}
	pub, ok := ks.pubs[h.Kid]
	return pub, ok
}
