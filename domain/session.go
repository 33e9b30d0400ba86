package domain

import "time"

// RefreshToken is the stored form of a refresh token: only its SHA-256 hash.
// Tokens of one login session share a FamilyID; rotation retires a token
// (RotatedAt) and issues the next in the same family.
type RefreshToken struct {
	ID        string
	UserID    string
	FamilyID  string
	Hash      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
	RotatedAt time.Time
	RevokedAt time.Time
	UserAgent string
	IP        string
}

// AccessClaims are what a verified access token says.
type AccessClaims struct {
	Subject   string // user id
	ID        string // jti
	SessionID string // sid: the refresh token family of the login
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Password length bounds: compared exactly as sent, no truncation.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)
