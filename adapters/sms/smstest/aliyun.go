package smstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
)

// AliyunAccount is what the fake Aliyun knows about its one customer.
type AliyunAccount struct {
	AccessKeyID, AccessKeySecret, SignName string
	// Approved templates: login and reset take {"code"}, the initial
	// password one {"password"}.
	TemplateLogin, TemplateResetPassword, TemplateInitialPassword string
	// International templates and signature, the only ones allowed for
	// numbers outside the mainland (PhoneNumbers with a country code).
	IntlSignName, IntlTemplateLogin, IntlTemplateResetPassword string
}

// DefaultAliyunAccount is a ready test account.
func DefaultAliyunAccount() AliyunAccount {
	return AliyunAccount{
		AccessKeyID: "LTAItest00000000", AccessKeySecret: "aliyun-test-secret-0123456789",
		SignName:      "authd",
		TemplateLogin: "SMS_100001", TemplateResetPassword: "SMS_100002", TemplateInitialPassword: "SMS_100003",
		IntlSignName: "authd intl", IntlTemplateLogin: "SMS_200001", IntlTemplateResetPassword: "SMS_200002",
	}
}

// Aliyun is a fake Alibaba Cloud dysmsapi endpoint (SendSms, 2017-05-25).
type Aliyun struct {
	*base
	URL    string
	acct   AliyunAccount
	srv    *httptest.Server
	t      testing.TB
	nonces sync.Map
}

// NewAliyun starts a fake for acct, closed when the test ends.
func NewAliyun(t testing.TB, acct AliyunAccount) *Aliyun {
	s := &Aliyun{base: newBase(), acct: acct, t: t}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Config is a sender configuration pointed at this fake.
func (s *Aliyun) Config() aliyun.Config {
	return aliyun.Config{
		AccessKeyID: s.acct.AccessKeyID, AccessKeySecret: s.acct.AccessKeySecret, SignName: s.acct.SignName,
		Region: "cn-hangzhou", Endpoint: s.URL,
		TemplateLogin: s.acct.TemplateLogin, TemplateResetPassword: s.acct.TemplateResetPassword,
		TemplateInitialPassword: s.acct.TemplateInitialPassword, Timeout: 2 * time.Second,
		IntlSignName: s.acct.IntlSignName, IntlTemplateLogin: s.acct.IntlTemplateLogin,
		IntlTemplateResetPassword: s.acct.IntlTemplateResetPassword,
	}
}

// Close stops the fake and releases hung requests; later sends fail to connect.
func (s *Aliyun) Close() {
	s.release()
	s.srv.Close()
}

func (s *Aliyun) serve(w http.ResponseWriter, r *http.Request) {
	mode := s.currentMode()
	if err := r.ParseForm(); err != nil {
		aliyunServerError(w, http.StatusBadRequest, "MissingParameter", "")
		return
	}
	if status, code, msg := s.verify(r.Method, r.Form); code != "" {
		aliyunServerError(w, status, code, msg)
		return
	}
	q := r.Form
	if code := s.checkFields(q); code != "" {
		aliyunBusiness(w, code, q.Get("PhoneNumbers"))
		return
	}
	params := map[string]string{}
	_ = json.Unmarshal([]byte(q.Get("TemplateParam")), &params) // checked above
	values := []string{}
	for _, k := range []string{"code", "password"} {
		if v, ok := params[k]; ok {
			values = append(values, v)
		}
	}
	s.record(Message{Phone: q.Get("PhoneNumbers"), SignName: q.Get("SignName"), Template: q.Get("TemplateCode"),
		Params: values, Code: values[0], Ref: q.Get("OutId"), Accepted: mode.kind == kindOK})
	if !s.wait(r, mode) {
		return
	}
	switch mode.kind {
	case kindOK:
		writeJSON(w, http.StatusOK, map[string]string{
			"Code": "OK", "Message": "OK", "BizId": fmt.Sprintf("%d^0", time.Now().UnixNano()), "RequestId": requestID(),
		})
	case kindNumberError:
		aliyunBusiness(w, mode.code, q.Get("PhoneNumbers"))
	case kindCallError:
		status := mode.status
		if status == 0 {
			status = http.StatusBadRequest
		}
		aliyunServerError(w, status, mode.code, "fake aliyun: "+mode.code)
	case kindStatus:
		http.Error(w, "upstream failed", mode.status)
	}
}

// checkFields answers like Aliyun does for wrong settings, and fails the
// test for requests our adapter must never make.
func (s *Aliyun) checkFields(q url.Values) string {
	if q.Get("OutId") == "" {
		s.t.Errorf("fake aliyun: OutId missing")
	}
	// Mainland numbers go without 86: eleven digits starting with 1.
	phone := q.Get("PhoneNumbers")
	if len(phone) < 7 || len(phone) > 15 || strings.Trim(phone, "0123456789") != "" ||
		(strings.HasPrefix(phone, "1") && len(phone) != 11) {
		return "isv.MOBILE_NUMBER_ILLEGAL"
	}
	intl := !(len(phone) == 11 && strings.HasPrefix(phone, "1"))
	sign := s.acct.SignName
	if intl && s.acct.IntlSignName != "" {
		sign = s.acct.IntlSignName
	}
	if q.Get("SignName") != sign {
		return "isv.SMS_SIGNATURE_ILLEGAL"
	}
	key := map[string]string{s.acct.TemplateLogin: "code", s.acct.TemplateResetPassword: "code",
		s.acct.TemplateInitialPassword: "password"}
	if intl {
		key = map[string]string{s.acct.IntlTemplateLogin: "code", s.acct.IntlTemplateResetPassword: "code"}
	}
	want, ok := key[q.Get("TemplateCode")]
	if !ok || q.Get("TemplateCode") == "" {
		return "isv.SMS_TEMPLATE_ILLEGAL"
	}
	var params map[string]string
	if err := json.Unmarshal([]byte(q.Get("TemplateParam")), &params); err != nil {
		return "isv.INVALID_JSON_PARAM"
	}
	if params[want] == "" || len(params) != 1 {
		return "isv.TEMPLATE_MISSING_PARAMETERS"
	}
	return ""
}

func aliyunBusiness(w http.ResponseWriter, code, phone string) {
	// Real messages may name the number: adapters must redact them.
	writeJSON(w, http.StatusOK, map[string]string{
		"Code": code, "Message": "fake aliyun: " + code + " for " + phone, "RequestId": requestID(),
	})
}

func aliyunServerError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]string{
		"RequestId": requestID(), "HostId": "dysmsapi.aliyuncs.com", "Code": code, "Message": msg,
		"Recommend": "https://api.aliyun.com/troubleshoot?q=" + code,
	})
}
