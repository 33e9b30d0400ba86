package aliyun

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	alierr "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/ports"
)

// numberCodes are the vendor codes about the number itself; every other
// code is a provider failure, answered by trying the next vendor.
var numberCodes = smsvendor.Verdicts{
	"isv.MOBILE_NUMBER_ILLEGAL": {Kind: ports.SendInvalidNumber},
	"isv.DAY_LIMIT_CONTROL":     {Kind: ports.SendNumberRejected},
	"isv.MONTH_LIMIT_CONTROL":   {Kind: ports.SendNumberRejected},
	// The per-number window (1/minute, 5/hour, 10/day for codes); the
	// answer does not say which one was hit, so ask for the shortest.
	"isv.BUSINESS_LIMIT_CONTROL": {Kind: ports.SendNumberLimited, RetryAfter: time.Minute},
}

// codeTimeout is the code this adapter gives a call with no answer in time;
// smsvendor.CodeNoTemplate and smsvendor.CodeUnexpected are shared.
const codeTimeout = "SDK.TimeoutError"

// classify maps a vendor code to a SendError; message must be redacted.
func classify(code, message string) *ports.SendError {
	return smsvendor.Classify(ProviderName, code, message, numberCodes)
}

// classifyCallError maps an error from the SDK. The SDK's texts are never
// copied whole: a ServerError carries the string to sign, a timeout the
// whole signed URL.
func classifyCallError(ctx context.Context, err error, redact func(string) string) *ports.SendError {
	if ctx.Err() != nil || smsvendor.IsTimeout(err) {
		return smsvendor.Timeout(ProviderName, codeTimeout)
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
		return classify(smsvendor.CodeUnexpected, redact("aliyun: "+urlErr.Op+": "+urlErr.Err.Error()))
	}
	var clientErr *alierr.ClientError
	if errors.As(err, &clientErr) {
		return classify(clientErr.ErrorCode(), redact(clientErr.Message()))
	}
	return classify(smsvendor.CodeUnexpected, redact(stripURLs(err.Error())))
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
