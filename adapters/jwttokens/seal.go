package jwttokens

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// sealLabel is the HKDF "info" of the key-encryption key. It is distinct
// from every other use of the secret it comes from (the code secret HMACs
// codes), so one derived key says nothing about the other.
const sealLabel = "authd/jwt-signing-key-encryption/v1"

// sealVersion is the first byte of a sealed key, for a future change of
// scheme.
const sealVersion = 1

// Sealer encrypts signing keys for the database with AES-256-GCM under a
// key derived (HKDF-SHA256) from a configured secret. The key id is the
// additional data: a sealed key copied to another row does not open.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the encryption key from secret, which must be at least
// 16 bytes.
func NewSealer(secret []byte) (*Sealer, error) {
	if len(secret) < 16 {
		return nil, errors.New("key-encryption secret shorter than 16 bytes")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, sealLabel, 32)
	if err != nil {
		return nil, fmt.Errorf("derive key-encryption key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain for the key kid: version, random nonce, ciphertext.
func (s *Sealer) Seal(kid string, plain []byte) ([]byte, error) {
	out := make([]byte, 1+s.aead.NonceSize(), 1+s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return s.aead.Seal(out, out[1:], plain, []byte(kid)), nil
}

// errUnseal is every failure to open a sealed key: a wrong secret and a
// damaged row look alike on purpose (GCM cannot tell them apart anyway).
var errUnseal = errors.New("cannot decrypt the signing key: wrong AUTHD_JWT_KEY_ENCRYPTION_KEY (or code secret) or damaged row")

// Open decrypts a sealed key of kid.
func (s *Sealer) Open(kid string, sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < 1+n+s.aead.Overhead() || sealed[0] != sealVersion {
		return nil, errUnseal
	}
	plain, err := s.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(kid))
	if err != nil {
		return nil, errUnseal
	}
	return plain, nil
}
