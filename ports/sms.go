package ports

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain"
)

// SMSMessage is one templated message. The vendor adapter renders it into its
// template parameters: Tencent [code, ttl_minutes], Aliyun {"code": code}.
type SMSMessage struct {
	ID      string // our message id, echoed by vendors (SessionContext, OutId)
	Phone   domain.Phone
	Purpose domain.Purpose
	Code    string        // the one-time code, or the password for PurposeInitialPassword
	TTL     time.Duration // code lifetime, for templates that mention it
	Locale  string        // BCP 47 language the client asked for; "" for the default
}

// SMSResult is what a successful send returns.
type SMSResult struct {
	Provider  string // "tencent", "aliyun", "console"
	MessageID string // the vendor's id (Tencent SerialNo, Aliyun BizId)
}

// SMS sends one message. Vendor senders return *SendError on failure; the
// failover sender returns errors matching domain.ErrInvalidPhone,
// domain.ErrSMSDeliveryFailed or *domain.RateLimitedError.
type SMS interface {
	Send(ctx context.Context, msg SMSMessage) (SMSResult, error)
}

// SendErrorKind classifies a vendor failure by what should happen next.
type SendErrorKind int

const (
	// SendProviderFailed is a vendor-side configuration (auth, signature,
	// template, balance) or outage (5xx, timeout, throttling). Fail over.
	SendProviderFailed SendErrorKind = iota
	// SendInvalidNumber means the number itself is wrong: 400 invalid_phone, no failover.
	SendInvalidNumber
	// SendNumberRejected means the number is blacklisted or at a vendor cap that
	// another vendor would not lift in time. 502, no failover.
	SendNumberRejected
	// SendNumberLimited is the vendor's per-number frequency window: 429.
	SendNumberLimited
)

// SendError is a classified vendor failure. VendorCode is the vendor's own
// error code (e.g. "isv.MOBILE_NUMBER_ILLEGAL"); Err is redacted of secrets.
type SendError struct {
	Provider   string
	VendorCode string
	Kind       SendErrorKind
	RetryAfter time.Duration // for SendNumberLimited
	Err        error
}

func (e *SendError) Error() string {
	msg := e.Provider + ": " + e.VendorCode
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap exposes the cause and the domain error the kind stands for.
func (e *SendError) Unwrap() []error {
	var d error
	switch e.Kind {
	case SendInvalidNumber:
		d = domain.ErrInvalidPhone
	case SendNumberLimited:
		d = &domain.RateLimitedError{Limit: "vendor_number", RetryAfter: e.RetryAfter}
	default:
		d = domain.ErrSMSDeliveryFailed
	}
	if e.Err == nil {
		return []error{d}
	}
	return []error{d, e.Err}
}

// AsSendError returns the *SendError in err's chain, if any.
func AsSendError(err error) (*SendError, bool) {
	var se *SendError
	ok := errors.As(err, &se)
	return se, ok
}
