package domain

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors returned by use cases and adapters. The HTTP adapter maps
// each one to a status and a stable problem code in a single table.
var (
	// ErrInvalidRequest is a malformed or incomplete request.
	ErrInvalidRequest = errors.New("invalid request")
	// ErrInvalidPhone is a phone number that does not parse or cannot receive SMS.
	ErrInvalidPhone = errors.New("invalid phone number")
	// ErrRegionNotAllowed is a valid number in a region that may not receive codes.
	ErrRegionNotAllowed = errors.New("phone region not allowed")
	// ErrInvalidCode covers wrong, expired, used, burned and never-issued
	// codes alike: one error on purpose, so the answer is no oracle.
	ErrInvalidCode = errors.New("invalid, expired or used code")
	// ErrInvalidCredentials covers unknown login, wrong password and accounts
	// without a password alike.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrInvalidToken is a missing, expired, malformed, revoked or reused token.
	ErrInvalidToken = errors.New("invalid token")
	// ErrAccountDisabled is returned for a user an operator disabled.
	ErrAccountDisabled = errors.New("account disabled")
	// ErrNotFound is a missing record (never surfaced for logins).
	ErrNotFound = errors.New("not found")
	// ErrUsernameTaken and ErrEmailTaken are unique-constraint violations.
	ErrUsernameTaken = errors.New("username taken")
	ErrEmailTaken    = errors.New("email taken")
	// ErrPhoneTaken is a second user for a phone (adapters resolve it for
	// FindOrCreateByPhone; it surfaces only from admin paths).
	ErrPhoneTaken = errors.New("phone taken")
	// ErrInvalidUsername and ErrInvalidEmail are values that break the rules.
	ErrInvalidUsername = errors.New("invalid username")
	ErrInvalidEmail    = errors.New("invalid email")
	// ErrSMSDeliveryFailed means every configured SMS provider failed.
	ErrSMSDeliveryFailed = errors.New("sms delivery failed")
	// ErrUnavailable means a dependency (database, code store, hashing
	// capacity) cannot serve now; the request may be retried later.
	ErrUnavailable = errors.New("service unavailable")
	// ErrFeatureDisabled is an endpoint switched off by configuration.
	ErrFeatureDisabled = errors.New("feature disabled")
)

// RateLimitedError says a limit was hit and when to try again.
type RateLimitedError struct {
	Limit      string // which limit: "resend_cooldown", "phone_hourly", "ip_code", ...
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited (%s), retry after %s", e.Limit, e.RetryAfter)
}

// RetryAfterSeconds rounds the wait up to whole seconds, at least one.
func (e *RateLimitedError) RetryAfterSeconds() int {
	s := int((e.RetryAfter + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// WeakPasswordError is a password refused by the length or strength rules.
type WeakPasswordError struct {
	Reason string
}

func (e *WeakPasswordError) Error() string { return "weak password: " + e.Reason }

// UnavailableError wraps an infrastructure failure so that it is reported as
// ErrUnavailable while keeping the cause for logs.
type UnavailableError struct {
	Dependency string
	Err        error
}

func (e *UnavailableError) Error() string {
	return e.Dependency + " unavailable: " + e.Err.Error()
}

// Unwrap exposes the cause.
func (e *UnavailableError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unavailable wraps err as a failure of the named dependency.
func Unavailable(dependency string, err error) error {
	return &UnavailableError{Dependency: dependency, Err: err}
}
