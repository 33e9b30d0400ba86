package smstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/tencent"
)

// TencentAccount is what the fake Tencent knows about its one customer.
type TencentAccount struct {
	SecretID, SecretKey, SDKAppID, SignName string
	// Approved templates: login and reset take [code, ttl_minutes], the
	// initial password one [password].
	TemplateLogin, TemplateResetPassword, TemplateInitialPassword string
	// International templates ([code, ttl_minutes]), the only ones allowed
	// for numbers outside +86; the signature is optional there.
	IntlTemplateLogin, IntlTemplateResetPassword string
}

// DefaultTencentAccount is a ready test account.
func DefaultTencentAccount() TencentAccount {
	return TencentAccount{
		SecretID: "AKIDtest0000000000000000000000000000", SecretKey: "tencent-test-secret-key-0123456789",
		SDKAppID: "1400000001", SignName: "authd",
		TemplateLogin: "100001", TemplateResetPassword: "100002", TemplateInitialPassword: "100003",
		IntlTemplateLogin: "200001", IntlTemplateResetPassword: "200002",
	}
}

// Tencent is a fake Tencent Cloud SMS endpoint (SendSms, 2021-01-11).
type Tencent struct {
	*base
	URL  string // http://127.0.0.1:port
	acct TencentAccount
	srv  *httptest.Server
	t    testing.TB
}

// NewTencent starts a fake for acct, closed when the test ends.
func NewTencent(t testing.TB, acct TencentAccount) *Tencent {
	s := &Tencent{base: newBase(), acct: acct, t: t}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Config is a sender configuration pointed at this fake.
func (s *Tencent) Config() tencent.Config {
	return tencent.Config{
		SecretID: s.acct.SecretID, SecretKey: s.acct.SecretKey, SDKAppID: s.acct.SDKAppID,
		SignName: s.acct.SignName, Endpoint: s.URL, Region: "ap-guangzhou",
		TemplateLogin: s.acct.TemplateLogin, TemplateResetPassword: s.acct.TemplateResetPassword,
		TemplateInitialPassword: s.acct.TemplateInitialPassword, Timeout: 2 * time.Second,
		IntlTemplateLogin: s.acct.IntlTemplateLogin, IntlTemplateResetPassword: s.acct.IntlTemplateResetPassword,
	}
}

// Close stops the fake and releases hung requests; later sends fail to connect.
func (s *Tencent) Close() {
	s.release()
	s.srv.Close()
}

// tencentRequest mirrors the SendSms body; the field names are the vendor's.
type tencentRequest struct {
	SmsSdkAppId      string //nolint:revive // wire name
	SignName         string
	TemplateId       string //nolint:revive // wire name
	TemplateParamSet []string
	PhoneNumberSet   []string
	SessionContext   string
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

func (s *Tencent) serve(w http.ResponseWriter, r *http.Request) {
	mode := s.currentMode()
	body, code := s.verify(r)
	if code != "" {
		tencentCallError(w, code)
		return
	}
	var req tencentRequest
	if err := json.Unmarshal(body, &req); err != nil {
		tencentCallError(w, "InvalidParameter")
		return
	}
	if code := s.checkFields(req); code != "" {
		tencentCallError(w, code)
		return
	}
	phone := req.PhoneNumberSet[0]
	if !e164.MatchString(phone) {
		tencentStatus(w, req, "InvalidParameterValue.IncorrectPhoneNumber")
		return
	}
	s.record(Message{Phone: phone, SignName: req.SignName, Template: req.TemplateId, Params: req.TemplateParamSet,
		Code: req.TemplateParamSet[0], Ref: req.SessionContext, SDKAppID: req.SmsSdkAppId, Accepted: mode.kind == kindOK})
	if !s.wait(r, mode) {
		return
	}
	switch mode.kind {
	case kindOK:
		tencentStatus(w, req, "Ok")
	case kindNumberError:
		tencentStatus(w, req, mode.code)
	case kindCallError:
		tencentCallError(w, mode.code)
	case kindStatus:
		http.Error(w, "upstream failed", mode.status)
	}
}

// checkFields answers like Tencent does for wrong account settings, and
// fails the test for requests our adapter must never make.
func (s *Tencent) checkFields(req tencentRequest) string {
	if len(req.PhoneNumberSet) != 1 || req.SessionContext == "" || len(req.TemplateParamSet) == 0 {
		s.t.Errorf("fake tencent: want one number, a SessionContext and parameters, got %+v", req)
		return "InvalidParameter"
	}
	if req.SmsSdkAppId != s.acct.SDKAppID {
		return "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
	}
	intl := !strings.HasPrefix(req.PhoneNumberSet[0], "+86")
	if req.SignName != s.acct.SignName && !(intl && req.SignName == "") {
		return "FailedOperation.SignatureIncorrectOrUnapproved"
	}
	want := map[string]int{s.acct.TemplateLogin: 2, s.acct.TemplateResetPassword: 2, s.acct.TemplateInitialPassword: 1}
	if intl {
		want = map[string]int{s.acct.IntlTemplateLogin: 2, s.acct.IntlTemplateResetPassword: 2}
	}
	n, ok := want[req.TemplateId]
	if !ok || req.TemplateId == "" {
		return "FailedOperation.TemplateIncorrectOrUnapproved"
	}
	if len(req.TemplateParamSet) != n {
		return "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"
	}
	if n == 2 && (len(req.TemplateParamSet[0]) > 6 || strings.Trim(req.TemplateParamSet[0], "0123456789") != "") {
		return "InvalidParameterValue.TemplateParameterFormatError"
	}
	return ""
}

func tencentStatus(w http.ResponseWriter, req tencentRequest, code string) {
	msg := "send success"
	if code != "Ok" {
		// Real messages may name the number: adapters must redact them.
		msg = "fake tencent: " + code + " for " + req.PhoneNumberSet[0]
	}
	writeJSON(w, http.StatusOK, map[string]any{"Response": map[string]any{
		"SendStatusSet": []map[string]any{{
			"SerialNo": fmt.Sprintf("2028:%d", time.Now().UnixNano()), "PhoneNumber": req.PhoneNumberSet[0],
			"Fee": 1, "SessionContext": req.SessionContext, "Code": code, "Message": msg, "IsoCode": "CN",
		}},
		"RequestId": requestID(),
	}})
}

func tencentCallError(w http.ResponseWriter, code string) {
	writeJSON(w, http.StatusOK, map[string]any{"Response": map[string]any{
		"Error":     map[string]string{"Code": code, "Message": "fake tencent: " + code},
		"RequestId": requestID(),
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func requestID() string {
	return fmt.Sprintf("fake-%d", time.Now().UnixNano())
}
