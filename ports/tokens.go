package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// AccessToken is a signed access token and its lifetime.
type AccessToken struct {
	Token     string
	ExpiresAt time.Time
	TTL       time.Duration
}

// Tokens issues and verifies access tokens (JWTs signed with an asymmetric
// key whose public half is published as JWKS).
type Tokens interface {
	// IssueAccess signs a token for the user; sessionID (the refresh token
	// family) rides along as the "sid" claim so that "revoke my other
	// sessions" knows which one is the caller's.
	IssueAccess(ctx context.Context, userID, sessionID string, now time.Time) (AccessToken, error)
	// VerifyAccess checks signature, algorithm, type, issuer, audience and
	// expiry; any failure is domain.ErrInvalidToken.
	VerifyAccess(ctx context.Context, token string, now time.Time) (domain.AccessClaims, error)
}
