package smsvendor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Verdict is what a vendor code says about the number.
type Verdict struct {
	Kind       ports.SendErrorKind
	RetryAfter time.Duration // for ports.SendNumberLimited
}

// Verdicts maps the vendor codes that are about the number itself, rather
// than about us or the vendor, to their verdict. Every other code is a
// provider failure, which the failover sender answers by trying the next
// vendor.
type Verdicts map[string]Verdict

// Codes authd makes up for failures that carry no vendor code. They reach
// logs and metric labels as vendor codes.
const (
	CodeNoTemplate = "authd.TemplateNotConfigured"
	CodeUnexpected = "authd.UnexpectedError"
)

// Classify maps a code from provider (per number or whole call) through
// table to a SendError. message is the vendor's text, already redacted by
// the caller.
func Classify(provider, code, message string, table Verdicts) *ports.SendError {
	se := &ports.SendError{Provider: provider, VendorCode: code, Kind: ports.SendProviderFailed}
	if v, ok := table[code]; ok {
		se.Kind, se.RetryAfter = v.Kind, v.RetryAfter
	}
	if message != "" {
		se.Err = errors.New(message)
	}
	return se
}

// NoTemplate is the failure of a send whose purpose has no template
// configured: a provider failure, so the failover tries the next vendor.
func NoTemplate(provider string, purpose domain.Purpose) *ports.SendError {
	return &ports.SendError{Provider: provider, VendorCode: CodeNoTemplate, Kind: ports.SendProviderFailed,
		Err: fmt.Errorf("no %s template for purpose %q", provider, purpose)}
}

// IsTimeout reports whether err is a deadline or a network timeout.
func IsTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.Timeout()
}

// Timeout is the failure of a call that got no answer in time, under the
// vendor's own timeout code. Its text names only the provider (the SDK's
// timeout texts carry the signed request) and it still matches
// context.DeadlineExceeded, so the failover can tell it.
func Timeout(provider, code string) *ports.SendError {
	return &ports.SendError{Provider: provider, VendorCode: code, Kind: ports.SendProviderFailed,
		Err: timeoutError{msg: provider + ": no answer in time"}}
}

// timeoutError is a redacted timeout that still matches
// context.DeadlineExceeded.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }

func (e timeoutError) Unwrap() error { return context.DeadlineExceeded }

// Redactor hides the secrets, the number and the code from vendor text
// before it is stored in an error that may reach a log. Values shorter than
// four characters are left alone: replacing them would garble the text.
func Redactor(secrets ...string) func(string) string {
	return func(s string) string {
		for _, v := range secrets {
			if len(v) >= 4 {
				s = strings.ReplaceAll(s, v, "[redacted]")
			}
		}
		return s
	}
}
