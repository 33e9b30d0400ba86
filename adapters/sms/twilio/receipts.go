package twilio

import (
	"fmt"
	"net/url"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ReceiptAnswer is what Twilio needs in answer to a status callback: any
// 2xx; an empty body.
const ReceiptAnswer = ""

// ParseReceipts reads one status callback (a form: MessageSid,
// MessageStatus, ErrorCode, ...). Only final statuses make a receipt:
// delivered, undelivered and failed; queued, sent and the like give none.
// A malformed body matches domain.ErrInvalidRequest.
func ParseReceipts(body []byte) ([]ports.DeliveryReceipt, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: twilio status callback: %w", domain.ErrInvalidRequest, err)
	}
	sid := form.Get("MessageSid")
	if sid == "" {
		return nil, fmt.Errorf("%w: twilio status callback without MessageSid", domain.ErrInvalidRequest)
	}
	r := ports.DeliveryReceipt{Provider: ProviderName, VendorMessageID: sid, VendorCode: form.Get("ErrorCode")}
	switch form.Get("MessageStatus") {
	case "delivered":
		r.Delivered = true
	case "undelivered", "failed":
	default:
		return nil, nil
	}
	return []ports.DeliveryReceipt{r}, nil
}

// ValidSignature checks a callback's X-Twilio-Signature: Twilio signs the
// full callback URL and the sorted form parameters with the auth token.
func ValidSignature(authToken, callbackURL string, body []byte, signature string) bool {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return false
	}
	params := make(map[string]string, len(form))
	for k, v := range form {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	v := twclient.NewRequestValidator(authToken)
	return v.Validate(callbackURL, params, signature)
}
