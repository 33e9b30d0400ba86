package httphook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results, errors and logs.
const ProviderName = "http"

// DefaultTimeout bounds one POST.
const DefaultTimeout = 3 * time.Second

// Config configures the http provider.
type Config struct {
	URL     string         // AUTHD_SMS_HTTP_URL: where messages are POSTed
	Secret  string         // AUTHD_SMS_HTTP_SECRET: whsec_<base64> signing key
	Timeout time.Duration  // AUTHD_SMS_HTTP_TIMEOUT, default 3s
	Text    smstext.Config // the message text; set by the sms package from AUTHD_SMS_TEXTS and friends
}

// Validate names the first missing or malformed variable.
func (c Config) Validate() error {
	if err := smsvendor.Required(ProviderName,
		smsvendor.Field{Key: "AUTHD_SMS_HTTP_URL", Value: c.URL},
		smsvendor.Field{Key: "AUTHD_SMS_HTTP_SECRET", Value: c.Secret}); err != nil {
		return err
	}
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &domain.ConfigError{Key: "AUTHD_SMS_HTTP_URL", Msg: "want an http(s) URL"}
	}
	if _, err := DecodeSecret(c.Secret); err != nil {
		return &domain.ConfigError{Key: "AUTHD_SMS_HTTP_SECRET", Msg: err.Error()}
	}
	return smsvendor.CheckTimeout("AUTHD_SMS_HTTP_TIMEOUT", c.Timeout)
}

// Payload is the JSON body of every POST.
type Payload struct {
	ID         string `json:"id"`
	Phone      string `json:"phone"`
	Purpose    string `json:"purpose"`
	Code       string `json:"code"`
	Locale     string `json:"locale"`
	TTLSeconds int    `json:"ttl_seconds"`
	Text       string `json:"text"`
}

// Sender posts messages to the operator's URL.
type Sender struct {
	cfg       Config
	key       []byte
	client    *http.Client
	transport *http.Transport
	now       func() time.Time
}

var _ ports.SMS = (*Sender)(nil)

// New validates cfg.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	key, _ := DecodeSecret(cfg.Secret) // checked by Validate
	tr := smsvendor.NewTransport()
	// No redirects: a redirect would carry the signed code somewhere else.
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Sender{cfg: cfg, key: key, client: client, transport: tr, now: time.Now}, nil
}

// Close drops idle connections.
func (s *Sender) Close() { s.transport.CloseIdleConnections() }

// Send POSTs one message. A 2xx answer is success, and its optional JSON
// {"id"} is the vendor's message id; anything else is a provider failure.
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	body, err := json.Marshal(Payload{ID: msg.ID, Phone: msg.Phone.E164, Purpose: string(msg.Purpose), Code: msg.Code,
		Locale: msg.Locale, TTLSeconds: int(msg.TTL.Seconds()), Text: s.cfg.Text.Render(msg)})
	if err != nil {
		return ports.SMSResult{}, failed("authd.Error", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return ports.SMSResult{}, failed("authd.Error", err)
	}
	ts := s.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", msg.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", Sign(s.key, msg.ID, ts, body))
	resp, err := s.client.Do(req)
	if err != nil {
		code := "http.Network"
		if errors.Is(err, context.DeadlineExceeded) {
			code = "http.Timeout"
		}
		// The URL may carry credentials in its query: keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return ports.SMSResult{}, failed(code, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return ports.SMSResult{}, failed("http."+strconv.Itoa(resp.StatusCode), fmt.Errorf("answered %s", resp.Status))
	}
	var out struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(answer, &out) // the id is optional
	return ports.SMSResult{Provider: ProviderName, MessageID: cmp.Or(out.ID, msg.ID)}, nil
}

func failed(code string, err error) *ports.SendError {
	return &ports.SendError{Provider: ProviderName, VendorCode: code, Kind: ports.SendProviderFailed, Err: err}
}
