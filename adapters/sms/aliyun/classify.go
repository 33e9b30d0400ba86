package aliyun

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	alierr "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/authd/authd/ports"
)

// numberCodes are the vendor codes about the number itself; every other
// code is a provider failure, answered by trying the next vendor.
var numberCodes = map[string]struct {
	kind       ports.SendErrorKind
	retryAfter time.Duration
}{
	"isv.MOBILE_NUMBER_ILLEGAL": {kind: ports.SendInvalidNumber},
	"isv.DAY_LIMIT_CONTROL":     {kind: ports.SendNumberRejected},
	"isv.MONTH_LIMIT_CONTROL":   {kind: ports.SendNumberRejected},
	// The per-number window (1/minute, 5/hour, 10/day for codes); the
	// answer does not say which one was hit, so ask for the shortest.
	"isv.BUSINESS_LIMIT_CONTROL": {kind: ports.SendNumberLimited, retryAfter: time.Minute},
}

// Codes this adapter makes up for failures that carry no vendor code.
const (
	codeTimeout          = "SDK.TimeoutError"
	codeNoTemplate       = "authd.TemplateNotConfigured"
	codeUnexpectedFailed = "authd.UnexpectedError"
)

// classify maps a vendor code to a SendError; message must be redacted.
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

// classifyCallError maps an error from the SDK. The SDK's texts are never
// copied whole: a ServerError carries the string to sign, a timeout the
// whole signed URL.
func classifyCallError(ctx context.Context, err error, redact func(string) string) *ports.SendError {
	if ctx.Err() != nil || isTimeout(err) {
		return &ports.SendError{Provider: ProviderName, VendorCode: codeTimeout, Kind: ports.SendProviderFailed,
			Err: timeoutError{msg: "aliyun: no answer in time"}}
	}
	var serverErr *alierr.ServerError
	if errors.As(err, &serverErr) {
		msg := serverErr.Message()
		if i := strings.Index(msg, alierr.MessageContain); i >= 0 {
			msg = msg[:i] // the rest is the string to sign
		}
		code := serverErr.ErrorCode()
		if code == "" {
			// A bare HTTP error (a proxy's page, not the vendor's JSON) has no code.
			code = "authd.HTTP" + strconv.Itoa(serverErr.HttpStatus())
		}
		return classify(code, redact(strings.TrimSpace(msg)))
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		// Keep the failing operation and cause, drop the signed query.
		return classify(codeUnexpectedFailed, redact("aliyun: "+urlErr.Op+": "+urlErr.Err.Error()))
	}
	var clientErr *alierr.ClientError
	if errors.As(err, &clientErr) {
		return classify(clientErr.ErrorCode(), redact(clientErr.Message()))
	}
	return classify(codeUnexpectedFailed, redact(stripURLs(err.Error())))
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.Timeout()
}

// timeoutError is a redacted timeout that still matches
// context.DeadlineExceeded.
type timeoutError struct{ msg string }

func (e timeoutError) Error() string { return e.msg }

func (e timeoutError) Unwrap() error { return context.DeadlineExceeded }

// redactor hides the secrets, the number and the code from vendor text.
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

// stripURLs removes query strings from any URL in s: the SDK puts the signed
// request URL into several of its error texts.
func stripURLs(s string) string {
	for _, scheme := range []string{"http://", "https://"} {
		var b strings.Builder
		for {
			i := strings.Index(s, scheme)
			if i < 0 {
				b.WriteString(s)
				break
			}
			end := strings.IndexAny(s[i:], " \"'\n")
			if end < 0 {
				end = len(s) - i
			}
			u := s[i : i+end]
			if q := strings.IndexByte(u, '?'); q >= 0 {
				u = u[:q] + "?[redacted]"
			}
			b.WriteString(s[:i] + u)
			s = s[i+end:]
		}
		s = b.String()
	}
	return s
}
