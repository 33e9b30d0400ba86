package aliyun

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/dysmsapi"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// ProviderName is the name this sender reports in results, errors and logs.
const ProviderName = "aliyun"

// Sender sends through Alibaba Cloud SMS. The SDK client is not safe for
// concurrent use and takes no context, so every Send builds a cheap client
// of its own over one shared transport that carries the call's context.
type Sender struct {
	cfg       Config
	endpoint  smsvendor.Endpoint
	transport *http.Transport
}

var _ ports.SMS = (*Sender)(nil)

// New validates cfg and prepares the shared transport.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	endpoint, _ := smsvendor.ParseEndpoint(cfg.Endpoint) // checked by Validate
	return &Sender{cfg: cfg, endpoint: endpoint, transport: smsvendor.NewTransport()}, nil
}

// Close drops idle vendor connections.
func (s *Sender) Close() { s.transport.CloseIdleConnections() }

// Send sends one message to one number. Failures are *ports.SendError.
func (s *Sender) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	template, param := s.template(msg)
	if template == "" {
		return ports.SMSResult{}, smsvendor.NoTemplate(ProviderName, msg.Purpose)
	}
	paramJSON, err := json.Marshal(param)
	if err != nil {
		return ports.SMSResult{}, classify(smsvendor.CodeUnexpected, "encode template parameters")
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()

	client, err := s.client(ctx)
	if err != nil {
		return ports.SMSResult{}, classify(smsvendor.CodeUnexpected, "aliyun client: "+err.Error())
	}
	req := dysmsapi.CreateSendSmsRequest()
	req.Scheme = s.endpoint.Scheme
	req.Domain = s.endpoint.Host
	req.SetReadTimeout(s.cfg.Timeout)
	req.SetConnectTimeout(s.cfg.Timeout)
	req.PhoneNumbers = phoneNumber(msg.Phone)
	req.SignName = s.cfg.SignName
	if international(msg.Phone) && s.cfg.IntlSignName != "" {
		req.SignName = s.cfg.IntlSignName
	}
	req.TemplateCode = template
	req.TemplateParam = string(paramJSON)
	req.OutId = msg.ID

	redact := smsvendor.Redactor(s.cfg.AccessKeyID, s.cfg.AccessKeySecret, msg.Phone.E164, req.PhoneNumbers, msg.Code)
	resp, err := client.SendSms(req)
	if err != nil {
		return ports.SMSResult{}, classifyCallError(ctx, err, redact)
	}
	if resp.Code != "OK" {
		return ports.SMSResult{}, classify(resp.Code, redact(resp.Message))
	}
	return ports.SMSResult{Provider: ProviderName, MessageID: resp.BizId}, nil
}

func (s *Sender) client(ctx context.Context) (*dysmsapi.Client, error) {
	conf := sdk.NewConfig()
	conf.AutoRetry = false // a retried send may deliver twice
	// Not an *http.Transport, so the SDK leaves its dialer and TLS alone.
	conf.Transport = ctxTransport{ctx: ctx, base: s.transport}
	return dysmsapi.NewClientWithOptions(s.cfg.Region, conf,
		credentials.NewAccessKeyCredential(s.cfg.AccessKeyID, s.cfg.AccessKeySecret))
}

// template picks the template code and its parameters for the purpose.
func (s *Sender) template(msg ports.SMSMessage) (string, map[string]string) {
	if international(msg.Phone) {
		switch msg.Purpose {
		case domain.PurposeLogin:
			return s.cfg.IntlTemplateLogin, map[string]string{"code": msg.Code}
		case domain.PurposeResetPassword:
			return s.cfg.IntlTemplateResetPassword, map[string]string{"code": msg.Code}
		}
		return "", nil
	}
	switch msg.Purpose {
	case domain.PurposeLogin:
		return s.cfg.TemplateLogin, map[string]string{"code": msg.Code}
	case domain.PurposeResetPassword:
		return s.cfg.TemplateResetPassword, map[string]string{"code": msg.Code}
	case domain.PurposeInitialPassword:
		return s.cfg.TemplateInitialPassword, map[string]string{"password": msg.Code}
	}
	return "", nil
}

// phoneNumber writes mainland numbers without +86 and others as country
// code and number without the plus, as dysmsapi expects.
func phoneNumber(p domain.Phone) string {
	if rest, ok := strings.CutPrefix(p.E164, "+86"); ok {
		return rest
	}
	return strings.TrimPrefix(p.E164, "+")
}

// ctxTransport gives the SDK's context-free requests the caller's context,
// so a cancelled send stops at once.
type ctxTransport struct {
	ctx  context.Context
	base http.RoundTripper
}

func (t ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}

// international reports whether p is outside the mainland, where Aliyun
// wants its international templates and signature.
func international(p domain.Phone) bool { return !strings.HasPrefix(p.E164, "+86") }
