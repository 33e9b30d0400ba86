package tencent

import (
	"context"
	"errors"
	"strings"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/authd/authd/ports"
)

// numberCodes are the vendor codes that are about the number rather than
// about us or the vendor; every other code is a provider failure, which the
// failover sender answers by trying the next vendor.
var numberCodes = map[string]struct {
	kind       ports.SendErrorKind
	retryAfter time.Duration
}{
	"InvalidParameterValue.IncorrectPhoneNumber":     {kind: ports.SendInvalidNumber},
	"FailedOperation.PhoneNumberInBlacklist":         {kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberDailyLimit":            {kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberSameContentDailyLimit": {kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberThirtySecondLimit":     {kind: ports.SendNumberLimited, retryAfter: 30 * time.Second},
	"LimitExceeded.PhoneNumberOneHourLimit":          {kind: ports.SendNumberLimited, retryAfter: time.Hour},
	"LimitExceeded.DeliveryFrequencyLimit":           {kind: ports.SendNumberLimited, retryAfter: time.Minute},
}

// Codes this adapter makes up for failures that carry no vendor code.
const (
	codeTimeout          = "ClientError.Timeout"
	codeNoTemplate       = "authd.TemplateNotConfigured"
	codeEmptyResponse    = "authd.EmptyResponse"
	codeUnexpectedFailed = "authd.UnexpectedError"
)

// classify maps a vendor code (per number or whole call) to a SendError.
// message is the vendor's text, already redacted by the caller.
func classify(code, message string) *ports.SendError {
	se := &ports.SendError{Provider: ProviderName, VendorCode: code, Kind: ports.SendProviderFailed}
	if c, ok := numberCodes[code]; ok {
		se.Kind, se.RetryAfter = c.kind, c.retryAfter
	}
	if message != "" {
		se.Err = errors.New(message)
	}
	return se
}

// classifyCallError maps an error returned by SendSmsWithContext. Timeouts
// keep context.DeadlineExceeded in the chain so the failover can tell them.
func classifyCallError(ctx context.Context, err error, redact func(string) string) *ports.SendError {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return &ports.SendError{Provider: ProviderName, VendorCode: codeTimeout, Kind: ports.SendProviderFailed,
			Err: timeoutError{msg: "tencent: no answer in time"}}
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if errors.As(err, &sdkErr) {
		return classify(sdkErr.GetCode(), redact(sdkErr.GetMessage()))
	}
	return classify(codeUnexpectedFailed, redact(err.Error()))
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// timeoutError is a redacted timeout that still matches
// context.DeadlineExceeded.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }

func (e timeoutError) Unwrap() error { return context.DeadlineExceeded }

// redactor hides the secrets and the number from vendor text before it is
// stored in an error that may reach a log.
func redactor(secrets ...string) func(string) string {
	return func(s string) string {
		for _, v := range secrets {
			if len(v) >= 4 {
				s = strings.ReplaceAll(s, v, "[redacted]")
			}
		}
		return s
	}
}
