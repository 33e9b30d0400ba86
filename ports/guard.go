package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// GuardSubject names what one send is counted against: its destination
// country, its number prefix (domain.NumberPrefix) and its client IP (the
// /64 for IPv6).
type GuardSubject struct {
	Country string
	Prefix  string
	IP      string
}

// The subject kinds an operator can unblock.
const (
	GuardCountry = "country"
	GuardPrefix  = "prefix"
	GuardIP      = "ip"
)

// GuardCounters are the abuse guard's counters, shared by every instance
// using the same store. Windows slide: the hour by the minute, the day by
// the hour, on the caller's clock. Failures match domain.ErrUnavailable.
//
// Each call is atomic per subject (one script per key on Redis, so each
// touches one Cluster slot) but not across subjects: a crash between two
// leaves one subject a send short, which the guard tolerates.
type GuardCounters interface {
	// Stats returns the subject's windows at now. Sends younger than grace
	// count as pending, never as unverified. IPCountries counts the
	// countries the IP sent to in the last day plus the subject's country
	// if it is not among them.
	Stats(ctx context.Context, s GuardSubject, grace time.Duration, now time.Time) (domain.GuardStats, error)
	// RecordSend counts one send to phone (E.164) for s at now and
	// remembers it for a day, so that a later Verified can credit it.
	RecordSend(ctx context.Context, phone string, s GuardSubject, now time.Time) error
	// RecordVerified credits phone's last remembered send as entered: to
	// the buckets of its send time (so it is no longer unverified), and to
	// the country's verified codes of today (its learned volume). A send is
	// credited once; an unknown phone is no error.
	RecordVerified(ctx context.Context, phone string, now time.Time) error
	// Reset forgets one subject's counters (kind GuardCountry, GuardPrefix
	// or GuardIP): the operator's unblock.
	Reset(ctx context.Context, kind, key string) error
}

// GuardDecisions keeps the guard's decision records for operators.
type GuardDecisions interface {
	// RecordDecision stores one decision.
	RecordDecision(ctx context.Context, d domain.GuardDecision) error
	// Decisions returns the decisions since the given time, newest first,
	// at most limit of them.
	Decisions(ctx context.Context, since time.Time, limit int) ([]domain.GuardDecision, error)
}

// GuardReporter is told every verdict the guard reaches, allows included
// (metrics count them all; records keep the others).
type GuardReporter interface {
	Report(ctx context.Context, d domain.GuardDecision)
}

// CaptchaAnswer is what the client sent in the request's captcha member.
type CaptchaAnswer struct {
	Token   string
	Randstr string // Tencent Captcha's second value; empty elsewhere
	IP      string // the client's IP, which most providers check
}

// Captcha verifies captcha answers with the provider.
type Captcha interface {
	// Provider names the provider for the client ("turnstile", ...).
	Provider() string
	// SiteKey is the public key the client's widget needs.
	SiteKey() string
	// Verify checks the answer. A wrong, reused or low-scoring answer is
	// domain.ErrCaptchaFailed; a provider that cannot be asked is
	// domain.ErrUnavailable.
	Verify(ctx context.Context, a CaptchaAnswer) error
}
