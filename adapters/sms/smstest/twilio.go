package smstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/authd/authd/adapters/sms/twilio"
)

// TwilioAccount is what the fake Twilio knows about its one customer.
type TwilioAccount struct {
	AccountSID, AuthToken, MessagingServiceSID string
}

// DefaultTwilioAccount is a ready test account.
func DefaultTwilioAccount() TwilioAccount {
	return TwilioAccount{AccountSID: "AC00000000000000000000000000000001", AuthToken: "0123456789abcdef0123456789abcdef",
		MessagingServiceSID: "MG00000000000000000000000000000001"}
}

// Twilio is a fake Twilio Programmable Messaging endpoint (POST
// /2010-04-01/Accounts/{sid}/Messages.json) that checks Basic auth.
// NumberError and CallError modes answer Twilio's error JSON with the
// numeric code given (HTTP 400, or the CallError status).
type Twilio struct {
	*base
	URL  string
	acct TwilioAccount
	srv  *httptest.Server
}

// NewTwilio starts a fake for acct, closed when the test ends.
func NewTwilio(t testing.TB, acct TwilioAccount) *Twilio {
	s := &Twilio{base: newBase(), acct: acct}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(func() { s.release(); s.srv.Close() })
	return s
}

// Config is a sender configuration pointed at this fake.
func (s *Twilio) Config() twilio.Config {
	return twilio.Config{AccountSID: s.acct.AccountSID, AuthToken: s.acct.AuthToken,
		MessagingServiceSID: s.acct.MessagingServiceSID, BaseURL: s.URL}
}

func (s *Twilio) serve(w http.ResponseWriter, r *http.Request) {
	mode := s.currentMode()
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.acct.AccountSID || pass != s.acct.AuthToken {
		twilioError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+s.acct.AccountSID+"/Messages.json" {
		twilioError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("To") == "" || r.PostForm.Get("Body") == "" ||
		(r.PostForm.Get("MessagingServiceSid") != s.acct.MessagingServiceSID && r.PostForm.Get("From") == "") {
		twilioError(w, http.StatusBadRequest, 21604, "A 'To', 'Body' and sender are required")
		return
	}
	if !s.wait(r, mode) {
		return
	}
	m := Message{Phone: r.PostForm.Get("To"), Template: r.PostForm.Get("Body"), Accepted: mode.kind == kindOK}
	s.record(m)
	switch mode.kind {
	case kindNumberError, kindCallError:
		code, _ := strconv.Atoi(mode.code)
		twilioError(w, cmpStatus(mode.status, http.StatusBadRequest), code, "refused")
		return
	case kindStatus:
		http.Error(w, "upstream failed", mode.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"sid": fmt.Sprintf("SM%032d", len(s.Messages())), "status": "accepted", "to": m.Phone})
}

func cmpStatus(s, def int) int {
	if s == 0 {
		return def
	}
	return s
}

func twilioError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code)})
}
