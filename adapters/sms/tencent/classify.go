package tencent

import (
	"context"
	"errors"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/ports"
)

// numberCodes are the vendor codes that are about the number rather than
// about us or the vendor; every other code is a provider failure, which the
// failover sender answers by trying the next vendor.
var numberCodes = smsvendor.Verdicts{
	"InvalidParameterValue.IncorrectPhoneNumber":     {Kind: ports.SendInvalidNumber},
	"FailedOperation.PhoneNumberInBlacklist":         {Kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberDailyLimit":            {Kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberSameContentDailyLimit": {Kind: ports.SendNumberRejected},
	"LimitExceeded.PhoneNumberThirtySecondLimit":     {Kind: ports.SendNumberLimited, RetryAfter: 30 * time.Second},
	"LimitExceeded.PhoneNumberOneHourLimit":          {Kind: ports.SendNumberLimited, RetryAfter: time.Hour},
	"LimitExceeded.DeliveryFrequencyLimit":           {Kind: ports.SendNumberLimited, RetryAfter: time.Minute},
}

// Codes this adapter gives failures that carry no vendor code, beside the
// shared smsvendor.CodeNoTemplate and smsvendor.CodeUnexpected.
const (
	codeTimeout       = "ClientError.Timeout"
	codeEmptyResponse = "authd.EmptyResponse"
)

// classify maps a vendor code (per number or whole call) to a SendError.
// message is the vendor's text, already redacted by the caller.
func classify(code, message string) *ports.SendError {
	return smsvendor.Classify(ProviderName, code, message, numberCodes)
}

// classifyCallError maps an error returned by SendSmsWithContext. Timeouts
// keep context.DeadlineExceeded in the chain so the failover can tell them.
func classifyCallError(ctx context.Context, err error, redact func(string) string) *ports.SendError {
	if ctx.Err() != nil || smsvendor.IsTimeout(err) {
		return smsvendor.Timeout(ProviderName, codeTimeout)
	}
	var sdkErr *tcerr.TencentCloudSDKError
	if errors.As(err, &sdkErr) {
		return classify(sdkErr.GetCode(), redact(sdkErr.GetMessage()))
	}
	return classify(smsvendor.CodeUnexpected, redact(err.Error()))
}
