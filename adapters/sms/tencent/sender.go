package tencent

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	tcsms "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results, errors and logs.
const ProviderName = "tencent"

// Sender sends through Tencent Cloud SMS. One SDK client is safe for
// concurrent use, so a Sender is too.
type Sender struct {
	cfg       Config
	client    *tcsms.Client
	transport *http.Transport
}

var _ ports.SMS = (*Sender)(nil)

// New validates cfg and builds the SDK client.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	endpoint, _ := smsvendor.ParseEndpoint(cfg.Endpoint) // checked by Validate
	cpf := profile.NewClientProfile()
	// The SDK wants "HTTP" or "HTTPS" and builds scheme://host/ itself.
	cpf.HttpProfile.Scheme = strings.ToUpper(endpoint.Scheme)
	cpf.HttpProfile.Endpoint = endpoint.Host
	// ReqTimeout is whole seconds: round up, and let the context enforce
	// the exact timeout.
	cpf.HttpProfile.ReqTimeout = int(math.Ceil(cfg.Timeout.Seconds()))
	client, err := tcsms.NewClient(common.NewCredential(cfg.SecretID, cfg.SecretKey), cfg.Region, cpf)
	if err != nil {
		return nil, fmt.Errorf("tencent sms client: %w", err)
	}
	tr := smsvendor.NewTransport()
	client.WithHttpTransport(tr)
	return &Sender{cfg: cfg, client: client, transport: tr}, nil
}

// Close drops idle vendor connections.
func (s *Sender) Close() { s.transport.CloseIdleConnections() }

// Send sends one message to one number. Failures are *ports.SendError.
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	template, params := s.template(msg)
	if template == "" {
		return ports.SMSResult{}, smsvendor.NoTemplate(ProviderName, msg.Purpose)
	}
	req := tcsms.NewSendSmsRequest()
	req.SmsSdkAppId = &s.cfg.SDKAppID
	if !international(msg.Phone) {
		req.SignName = &s.cfg.SignName
	} else if s.cfg.IntlSignName != "" {
		req.SignName = &s.cfg.IntlSignName
	}
	req.TemplateId = &template
	req.TemplateParamSet = common.StringPtrs(params)
	req.PhoneNumberSet = common.StringPtrs([]string{msg.Phone.E164})
	req.SessionContext = &msg.ID

	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	redact := smsvendor.Redactor(s.cfg.SecretID, s.cfg.SecretKey, msg.Phone.E164, msg.Code)
	resp, err := s.client.SendSmsWithContext(ctx, req)
	if err != nil {
		return ports.SMSResult{}, classifyCallError(ctx, err, redact)
	}
	if resp.Response == nil || len(resp.Response.SendStatusSet) == 0 || resp.Response.SendStatusSet[0] == nil {
		return ports.SMSResult{}, classify(codeEmptyResponse, "tencent answered without a send status")
	}
	st := resp.Response.SendStatusSet[0]
	if code := deref(st.Code); code != "Ok" {
		return ports.SMSResult{}, classify(code, redact(deref(st.Message)))
	}
	return ports.SMSResult{Provider: ProviderName, MessageID: deref(st.SerialNo)}, nil
}

// template picks the template and its parameters for the purpose: code
// templates take [code, ttl_minutes], the initial password one [password].
func (s *Sender) template(msg ports.SMSMessage) (string, []string) {
	if international(msg.Phone) {
		switch msg.Purpose {
		case domain.PurposeLogin:
			return s.cfg.IntlTemplateLogin, []string{msg.Code, ttlMinutes(msg.TTL)}
		case domain.PurposeResetPassword:
			return s.cfg.IntlTemplateResetPassword, []string{msg.Code, ttlMinutes(msg.TTL)}
		}
		return "", nil
	}
	switch msg.Purpose {
	case domain.PurposeLogin:
		return s.cfg.TemplateLogin, []string{msg.Code, ttlMinutes(msg.TTL)}
	case domain.PurposeResetPassword:
		return s.cfg.TemplateResetPassword, []string{msg.Code, ttlMinutes(msg.TTL)}
	case domain.PurposeInitialPassword:
		return s.cfg.TemplateInitialPassword, []string{msg.Code}
	}
	return "", nil
}

// ttlMinutes rounds up so the text never promises less time than the code has.
func ttlMinutes(ttl time.Duration) string {
	m := int(math.Ceil(ttl.Minutes()))
	if m < 1 {
		m = 1
	}
	return strconv.Itoa(m)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// international reports whether p is outside the mainland (HK, MO and TW
// included), where Tencent accepts only international templates.
func international(p domain.Phone) bool { return !strings.HasPrefix(p.E164, "+86") }
