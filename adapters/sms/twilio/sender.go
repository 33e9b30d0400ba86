package twilio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	twapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results, errors and logs.
const ProviderName = "twilio"

// Defaults applied by New.
const (
	DefaultBaseURL = "https://api.twilio.com"
	DefaultTimeout = 3 * time.Second
)

// Config configures the Twilio sender.
type Config struct {
	AccountSID          string // AUTHD_SMS_TWILIO_ACCOUNT_SID
	AuthToken           string // AUTHD_SMS_TWILIO_AUTH_TOKEN
	MessagingServiceSID string // AUTHD_SMS_TWILIO_MESSAGING_SERVICE_SID; or From
	From                string // AUTHD_SMS_TWILIO_FROM: an E.164 number or alphanumeric sender id
	StatusCallback      string // AUTHD_SMS_TWILIO_STATUS_CALLBACK: receipt URL, optional
	// BaseURL replaces https://api.twilio.com, for a local fake
	// (AUTHD_SMS_TWILIO_BASE_URL).
	BaseURL string
	Timeout time.Duration  // AUTHD_SMS_TWILIO_TIMEOUT, default 3s
	Text    smstext.Config // the message text; set by the sms package from AUTHD_SMS_TEXTS and friends
}

// Validate names the first missing or malformed variable.
func (c Config) Validate() error {
	if err := smsvendor.Required(ProviderName,
		smsvendor.Field{Key: "AUTHD_SMS_TWILIO_ACCOUNT_SID", Value: c.AccountSID},
		smsvendor.Field{Key: "AUTHD_SMS_TWILIO_AUTH_TOKEN", Value: c.AuthToken}); err != nil {
		return err
	}
	if c.MessagingServiceSID == "" && c.From == "" {
		return &domain.ConfigError{Key: "AUTHD_SMS_TWILIO_MESSAGING_SERVICE_SID",
			Msg: "required (or AUTHD_SMS_TWILIO_FROM) when twilio is in AUTHD_SMS_PROVIDERS or AUTHD_SMS_ROUTES"}
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &domain.ConfigError{Key: "AUTHD_SMS_TWILIO_BASE_URL", Msg: "want an http(s) URL"}
		}
	}
	return smsvendor.CheckTimeout("AUTHD_SMS_TWILIO_TIMEOUT", c.Timeout)
}

// Sender sends through Twilio. The SDK's calls take no context, so each
// send gets a shallow copy of the client whose transport carries the
// call's context: cancellation and the deadline reach the HTTP request.
type Sender struct {
	cfg       Config
	base      *url.URL
	transport *http.Transport
}

var _ ports.SMS = (*Sender)(nil)

// New validates cfg.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.BaseURL = cmp.Or(cfg.BaseURL, DefaultBaseURL)
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	base, _ := url.Parse(cfg.BaseURL) // checked by Validate
	return &Sender{cfg: cfg, base: base, transport: smsvendor.NewTransport()}, nil
}

// Close drops idle vendor connections.
func (s *Sender) Close() { s.transport.CloseIdleConnections() }

// Send sends one message. Failures are *ports.SendError.
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	c := &twclient.Client{Credentials: twclient.NewCredentials(s.cfg.AccountSID, s.cfg.AuthToken),
		HTTPClient: &http.Client{Transport: &callTransport{ctx: ctx, base: s.base, next: s.transport}}}
	c.SetAccountSid(s.cfg.AccountSID)
	api := twapi.NewApiServiceWithClient(c)

	params := &twapi.CreateMessageParams{}
	params.SetTo(msg.Phone.E164)
	params.SetBody(s.cfg.Text.Render(msg))
	if s.cfg.MessagingServiceSID != "" {
		params.SetMessagingServiceSid(s.cfg.MessagingServiceSID)
	} else {
		params.SetFrom(s.cfg.From)
	}
	if s.cfg.StatusCallback != "" {
		params.SetStatusCallback(s.cfg.StatusCallback)
	}
	res, err := api.CreateMessage(params)
	if err != nil {
		return ports.SMSResult{}, classify(ctx, err, smsvendor.Redactor(s.cfg.AuthToken, msg.Phone.E164, msg.Code))
	}
	if res.Sid == nil || *res.Sid == "" {
		return ports.SMSResult{}, &ports.SendError{Provider: ProviderName, VendorCode: "authd.EmptyResponse",
			Kind: ports.SendProviderFailed, Err: errors.New("twilio answered without a message sid")}
	}
	return ports.SMSResult{Provider: ProviderName, MessageID: *res.Sid}, nil
}

// callTransport sends the SDK's requests to the configured base URL under
// the call's context.
type callTransport struct {
	ctx  context.Context
	base *url.URL
	next http.RoundTripper
}

func (t *callTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(t.ctx)
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}

// classify maps Twilio's REST error codes
// (https://www.twilio.com/docs/api/errors) to what failover should do.
func classify(ctx context.Context, err error, redact func(string) string) *ports.SendError {
	var te *twclient.TwilioRestError
	if !errors.As(err, &te) {
		code := "twilio.Network"
		if ctx.Err() != nil {
			code = "twilio.Timeout"
		}
		return &ports.SendError{Provider: ProviderName, VendorCode: code, Kind: ports.SendProviderFailed,
			Err: errors.New(redact(err.Error()))}
	}
	se := &ports.SendError{Provider: ProviderName, VendorCode: strconv.Itoa(te.Code), Kind: ports.SendProviderFailed,
		Err: fmt.Errorf("status %d: %s", te.Status, redact(te.Message))}
	switch te.Code {
	case 21211, 21614, 21265: // invalid To, not a mobile number, To is a short code
		se.Kind = ports.SendInvalidNumber
	case 21610, 21612: // the recipient replied STOP; not reachable from this sender
		se.Kind = ports.SendNumberRejected
	}
	return se
}
