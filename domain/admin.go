package domain

import (
	"errors"
	"time"
)

// AdminKey is a credential of the admin API. Only the SHA-256 hash of its
// secret is stored; the key itself is shown once, when it is made.
type AdminKey struct {
	ID        string // public part of the key: finds the row without comparing secrets
	Name      string // who holds it; events name the key by it
	Hash      []byte // SHA-256 of the secret part
	CreatedAt time.Time
	RevokedAt time.Time // zero while the key is live
}

// Live reports whether the key may still be used.
func (k AdminKey) Live() bool { return k.RevokedAt.IsZero() }

// Actor is how security events name a change made with the key.
func (k AdminKey) Actor() string { return "admin:" + k.Name }

// ErrAdminKeyNameTaken is a second live admin key with one name.
var ErrAdminKeyNameTaken = errors.New("a live admin key with this name exists")

// ValidateAdminKeyName allows 1 to 64 of A-Z a-z 0-9 _ . - : the name is
// printed in event actors and CLI tables, so nothing that could spoof them.
func ValidateAdminKeyName(s string) error {
	if len(s) < 1 || len(s) > 64 {
		return ErrInvalidRequest
	}
	for _, r := range s {
		ok := r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '.' || r == '-'
		if !ok {
			return ErrInvalidRequest
		}
	}
	return nil
}

// UserSession is one login session of a user as an operator sees it.
type UserSession struct {
	ID         string // the access tokens' sid
	CreatedAt  time.Time
	LastUsedAt time.Time
	UserAgent  string
	IP         string
}
