package aliyun

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

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
// concurrent use (every call writes its timeouts into the client) and takes
// no context, so a Send borrows a client no other Send is using from a
// pool, sets the call's context on the client's own transport wrapper, and
// returns it afterwards. Building a client per send cost a regexp
// compilation, an http.Client and a credentials provider each time; every
// client sends over the one shared transport, so connections are reused
// across clients.
type Sender struct {
	cfg       Config
	endpoint  smsvendor.Endpoint
	transport *http.Transport
	clients   sync.Pool // of *pooledClient
	// newMu serialises building clients: dysmsapi.NewClientWithOptions
	// fills a package-level endpoint map on first use without a lock (a
	// data race when two sends built clients at once).
	newMu sync.Mutex
}

// pooledClient is an SDK client with the transport wrapper that gives its
// requests the context of the Send that borrowed it.
type pooledClient struct {
	client *dysmsapi.Client
	tr     *ctxTransport
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

	pc, err := s.borrow(ctx)
	if err != nil {
		return ports.SMSResult{}, classify(smsvendor.CodeUnexpected, "aliyun client: "+err.Error())
	}
	defer s.giveBack(pc)
	req := dysmsapi.CreateSendSmsRequest()
	req.Scheme = s.endpoint.Scheme
	req.Domain = s.endpoint.Host
	req.SetReadTimeout(s.cfg.Timeout)
	req.SetConnectTimeout(s.cfg.Timeout)
	req.PhoneNumbers = phoneNumber(msg.Phone)
	req.SignName = s.cfg.SignName
	req.TemplateCode = template
	req.TemplateParam = string(paramJSON)
	req.OutId = msg.ID

	redact := smsvendor.Redactor(s.cfg.AccessKeyID, s.cfg.AccessKeySecret, msg.Phone.E164, req.PhoneNumbers, msg.Code)
	resp, err := pc.client.SendSms(req)
	if err != nil {
		return ports.SMSResult{}, classifyCallError(ctx, err, redact)
	}
	if resp.Code != "OK" {
		return ports.SMSResult{}, classify(resp.Code, redact(resp.Message))
	}
	return ports.SMSResult{Provider: ProviderName, MessageID: resp.BizId}, nil
}

// borrow takes an idle client from the pool, or builds one, and points
// its requests at ctx until giveBack.
func (s *Sender) borrow(ctx context.Context) (*pooledClient, error) {
	pc, _ := s.clients.Get().(*pooledClient)
	if pc == nil {
		s.newMu.Lock()
		defer s.newMu.Unlock()
		tr := &ctxTransport{base: s.transport}
		conf := sdk.NewConfig()
		conf.AutoRetry = false // a retried send may deliver twice
		// Not an *http.Transport, so the SDK leaves its dialer and TLS alone.
		conf.Transport = tr
		client, err := dysmsapi.NewClientWithOptions(s.cfg.Region, conf,
			credentials.NewAccessKeyCredential(s.cfg.AccessKeyID, s.cfg.AccessKeySecret))
		if err != nil {
			return nil, err
		}
		pc = &pooledClient{client: client, tr: tr}
	}
	pc.tr.ctx = ctx
	return pc, nil
}

// giveBack returns a client to the pool once its call has read the
// response, dropping the call's context so the pool keeps nothing of it.
func (s *Sender) giveBack(pc *pooledClient) {
	pc.tr.ctx = nil
	s.clients.Put(pc)
}

// template picks the template code and its parameters for the purpose.
func (s *Sender) template(msg ports.SMSMessage) (string, map[string]string) {
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

// ctxTransport gives the SDK's context-free requests the context of the
// Send using its client, so a cancelled send stops at once. Only that Send
// touches ctx: the client is borrowed by one Send at a time.
type ctxTransport struct {
	ctx  context.Context
	base http.RoundTripper
}

func (t *ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}
