package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// CodeKey names one code slot: codes are scoped by phone and purpose.
type CodeKey struct {
	Phone   string // E.164
	Purpose domain.Purpose
}

// CancelScope says how much of an undelivered send Cancel gives back.
type CancelScope int

const (
	// CancelSend is for a send no vendor took (refused, or never reached
	// one): it cost nothing, so the cooldown and its cap usage come back.
	CancelSend CancelScope = iota
	// CancelCooldown is for a send that may have been delivered (a vendor
	// timed out): only the cooldown comes back, so the client may ask again
	// at once (API.md, 502), while the send still counts against the caps,
	// as the vendor's own per-number limits count it.
	CancelCooldown
)

// IssueCode is one request to store a freshly generated code.
type IssueCode struct {
	Key    CodeKey
	Digest []byte // HMAC of (phone, purpose, code) under the server secret: never the code itself
	Policy domain.CodePolicy
	Now    time.Time
}

// Codes is the one-time code store. Each method is one atomic step in the
// store, so that limits and single use hold across any number of instances.
// Store failures match domain.ErrUnavailable.
type Codes interface {
	// Issue checks the resend cooldown and the phone's hourly and daily send
	// caps and, if they allow, stores the digest with the policy's TTL (a new
	// code replaces an older one for the same key), starts the cooldown and
	// counts the send. A limit returns *domain.RateLimitedError and stores
	// nothing.
	Issue(ctx context.Context, in IssueCode) error
	// Cancel undoes an Issue whose SMS could not be delivered: while the code
	// still has this digest it deletes the code and clears the cooldown, and
	// with CancelSend gives this very send back to the hourly and daily caps
	// (the entry this Issue added, whatever the windows did since).
	Cancel(ctx context.Context, key CodeKey, digest []byte, scope CancelScope, now time.Time) error
	// Withdraw deletes the code if it still has this digest and gives
	// nothing back: the cooldown and the caps stay spent, exactly as for a
	// code that was issued and never sent (a reset for an unknown phone).
	// For an undelivered code whose sending nobody could observe, so that
	// what follows does not tell whether it was ever sent.
	Withdraw(ctx context.Context, key CodeKey, digest []byte, now time.Time) error
	// Verify compares digest with the stored one. On a match the code is
	// deleted (single use: of concurrent verifies exactly one succeeds). On a
	// mismatch the attempt is counted and at maxAttempts the code is burned.
	// Wrong, expired, used, burned and unknown codes all return
	// domain.ErrInvalidCode.
	Verify(ctx context.Context, key CodeKey, digest []byte, maxAttempts int, now time.Time) error
}
