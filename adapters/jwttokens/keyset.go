package jwttokens

import (
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
)

// signer is a private key that signs from a time on.
type signer struct {
	kid  string
	priv ed25519.PrivateKey
	from time.Time
	gen  int64
}

// keySet is one immutable snapshot of the keys: the signers, the public
// keys that verify, the JWK Set that publishes them and the cache of tokens
// verified with them. A change of keys swaps the whole snapshot, so a cached
// token can never outlive the key it was verified with.
type keySet struct {
	signers  []signer // newest generation first
	pubs     map[string]ed25519.PublicKey
	jwks     []byte
	verified *verifiedCache
	version  string // what it was built from; equal versions need no swap
}

// publicKey is a key to publish and verify with.
type publicKey struct {
	kid string
	pub ed25519.PublicKey
}

// newKeySet builds a snapshot; signers must be newest first.
func newKeySet(signers []signer, published []publicKey, version string) (*keySet, error) {
	set := jwk.NewSet()
	pubs := make(map[string]ed25519.PublicKey, len(published))
	for _, p := range published {
		key, err := jwkOf(p.kid, p.pub)
		if err != nil {
			return nil, err
		}
		if err := set.AddKey(key); err != nil {
			return nil, fmt.Errorf("jwk set: %w", err)
		}
		pubs[p.kid] = p.pub
	}
	raw, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("marshal jwks: %w", err)
	}
	return &keySet{signers: signers, pubs: pubs, jwks: raw,
		verified: newVerifiedCache(verifiedCacheSize), version: version}, nil
}

// signerAt is the key that signs at now: the newest one already active, or,
// when none is (clocks a little behind the one that made the first key),
// the oldest one.
func (ks *keySet) signerAt(now time.Time) (signer, error) {
	for _, s := range ks.signers {
		if !s.from.After(now) {
			return s, nil
		}
	}
	if len(ks.signers) == 0 {
		return signer{}, errors.New("jwttokens: no usable signing key")
	}
	return ks.signers[len(ks.signers)-1], nil
}

// thumbprint is the RFC 7638 thumbprint of pub: the key id.
func thumbprint(pub ed25519.PublicKey) (string, error) {
	key, err := jwk.FromRaw(pub)
	if err != nil {
		return "", fmt.Errorf("jwk from ed25519 key: %w", err)
	}
	tp, err := key.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("jwk thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// jwkOf is the public JWK of pub with its kid, algorithm and use.
func jwkOf(kid string, pub ed25519.PublicKey) (jwk.Key, error) {
	key, err := jwk.FromRaw(pub)
	if err != nil {
		return nil, fmt.Errorf("jwk from ed25519 key: %w", err)
	}
	for k, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: jwa.EdDSA, jwk.KeyUsageKey: jwk.ForSignature} {
		if err := key.Set(k, v); err != nil {
			return nil, fmt.Errorf("jwk set %s: %w", k, err)
		}
	}
	return key, nil
}
