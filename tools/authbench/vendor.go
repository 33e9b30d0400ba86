package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// SMS providers a pass can send through: the console provider, or authd's
// real Tencent or Aliyun sender pointed at a local stub of the vendor.
const (
	smsConsole = "console"
	smsTencent = "tencent"
	smsAliyun  = "aliyun"
)

// The stub's account, as authd is configured for it. The stub checks no
// signature (it measures authd, not the vendor): the SDKs still sign every
// request, so their cost is in the figures.
const (
	stubTemplateLogin   = "100001"
	stubTemplateReset   = "100002"
	stubTemplateInitial = "100003"
	stubAliyunPrefix    = "SMS_"
)

// vendorStub answers SendSms as Tencent Cloud (2021-01-11, JSON body) or
// Alibaba Cloud dysmsapi (2017-05-25, RPC form) do when a message is
// accepted, puts every login code into the codebook (so the login
// scenarios can use the vendor path), and counts requests and accepted
// connections, so the bench can show how many sockets authd opens per send.
// It runs in the generator's process on fasthttp: it shares the CPUs with
// authd, so it does as little as it can.
type vendorStub struct {
	vendor string
	url    string
	codes  *codebook
	ln     net.Listener
	srv    *fasthttp.Server
	sends  atomic.Int64
	conns  atomic.Int64
	seq    atomic.Int64
}

// stubCounts is what the stub saw: requests and accepted connections.
type stubCounts struct{ sends, conns int64 }

func startVendorStub(vendor string, codes *codebook) (*vendorStub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &vendorStub{vendor: vendor, url: "http://" + ln.Addr().String(), codes: codes}
	s.ln = countingListener{Listener: ln, n: &s.conns}
	handler := s.tencent
	if vendor == smsAliyun {
		handler = s.aliyun
	}
	s.srv = &fasthttp.Server{Handler: handler, Name: "stub", ReadTimeout: time.Minute, IdleTimeout: time.Minute,
		NoDefaultDate: true, NoDefaultContentType: true}
	go func() {
		if err := s.srv.Serve(s.ln); err != nil {
			fmt.Fprintln(os.Stderr, "authbench: vendor stub:", err)
		}
	}()
	return s, nil
}

func (s *vendorStub) counts() stubCounts { return stubCounts{s.sends.Load(), s.conns.Load()} }

func (s *vendorStub) stop() error { return s.srv.Shutdown() }

// env is authd's configuration for sending through this stub.
func (s *vendorStub) env() []string {
	if s.vendor == smsAliyun {
		return []string{
			"AUTHD_SMS_PROVIDERS=aliyun",
			"AUTHD_SMS_ALIYUN_ACCESS_KEY_ID=LTAIbench0000000",
			"AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET=aliyun-bench-secret-0123456789",
			"AUTHD_SMS_ALIYUN_SIGN_NAME=authd",
			"AUTHD_SMS_ALIYUN_ENDPOINT=" + s.url,
			"AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN=" + stubAliyunPrefix + stubTemplateLogin,
			"AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD=" + stubAliyunPrefix + stubTemplateReset,
			"AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD=" + stubAliyunPrefix + stubTemplateInitial,
		}
	}
	return []string{
		"AUTHD_SMS_PROVIDERS=tencent",
		"AUTHD_SMS_TENCENT_SECRET_ID=AKIDbench000000000000000000000000000",
		"AUTHD_SMS_TENCENT_SECRET_KEY=tencent-bench-secret-key-0123456789",
		"AUTHD_SMS_TENCENT_SDK_APP_ID=1400000001",
		"AUTHD_SMS_TENCENT_SIGN_NAME=authd",
		"AUTHD_SMS_TENCENT_ENDPOINT=" + s.url,
		"AUTHD_SMS_TENCENT_TEMPLATE_LOGIN=" + stubTemplateLogin,
		"AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD=" + stubTemplateReset,
		"AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD=" + stubTemplateInitial,
	}
}

// tencentSendSms is the part of the SendSms body the stub reads.
type tencentSendSms struct {
	TemplateId       string //nolint:revive // wire name
	TemplateParamSet []string
	PhoneNumberSet   []string
	SessionContext   string
}

func (s *vendorStub) tencent(ctx *fasthttp.RequestCtx) {
	s.sends.Add(1)
	var req tencentSendSms
	if err := json.Unmarshal(ctx.PostBody(), &req); err != nil || len(req.PhoneNumberSet) != 1 || len(req.TemplateParamSet) == 0 {
		tencentReply(ctx, `"Error":{"Code":"InvalidParameter","Message":"stub: bad SendSms body"}`)
		return
	}
	phone := req.PhoneNumberSet[0]
	if req.TemplateId == stubTemplateLogin {
		s.codes.put(phone, req.TemplateParamSet[0])
	}
	tencentReply(ctx, `"SendStatusSet":[{"SerialNo":"2028:`+strconv.FormatInt(s.seq.Add(1), 10)+
		`","PhoneNumber":`+strconv.Quote(phone)+`,"Fee":1,"SessionContext":`+strconv.Quote(req.SessionContext)+
		`,"Code":"Ok","Message":"send success","IsoCode":"CN"}]`)
}

func tencentReply(ctx *fasthttp.RequestCtx, members string) {
	ctx.SetContentType("application/json")
	ctx.SetBodyString(`{"Response":{` + members + `,"RequestId":"stub-` + strconv.FormatInt(time.Now().UnixNano(), 10) + `"}}`)
}

func (s *vendorStub) aliyun(ctx *fasthttp.RequestCtx) {
	s.sends.Add(1)
	ctx.SetContentType("application/json")
	phone, tpl := string(ctx.FormValue("PhoneNumbers")), string(ctx.FormValue("TemplateCode"))
	var param map[string]string
	if phone == "" || json.Unmarshal(ctx.FormValue("TemplateParam"), &param) != nil {
		ctx.SetStatusCode(fasthttp.StatusBadRequest)
		ctx.SetBodyString(`{"Code":"MissingParameter","Message":"stub: bad SendSms request","RequestId":"stub"}`)
		return
	}
	if tpl == stubAliyunPrefix+stubTemplateLogin {
		s.codes.put(aliyunE164(phone), param["code"])
	}
	ctx.SetBodyString(`{"Code":"OK","Message":"OK","BizId":"` + strconv.FormatInt(s.seq.Add(1), 10) +
		`^0","RequestId":"stub-` + strconv.FormatInt(time.Now().UnixNano(), 10) + `"}`)
}

// aliyunE164 undoes dysmsapi's number format: mainland numbers go without
// +86, others as country code and number without the plus. An 11-digit
// number starting with 1 is read as mainland: the bench sends only +86 ones.
func aliyunE164(phone string) string {
	if len(phone) == 11 && strings.HasPrefix(phone, "1") {
		return "+86" + phone
	}
	return "+" + phone
}

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// perThousand is connections per 1,000 sends.
func perThousand(c stubCounts) float64 {
	if c.sends == 0 {
		return 0
	}
	return 1000 * float64(c.conns) / float64(c.sends)
}
