package test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/authd/authd/adapters/sms/httphook"
	"github.com/authd/authd/adapters/sms/smstest"
)

// hookSecret signs the http provider's posts in these tests.
const hookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// operatorHook is an operator's endpoint for the http provider: it checks
// the Standard Webhooks signature and records the payloads.
type operatorHook struct {
	URL string
	mu  sync.Mutex
	got []httphook.Payload
}

func newOperatorHook(t *testing.T) *operatorHook {
	h := &operatorHook{}
	key, err := httphook.DecodeSecret(hookSecret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
		if r.Header.Get("webhook-signature") != httphook.Sign(key, r.Header.Get("webhook-id"), ts, body) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p httphook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.got = append(h.got, p)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

func (h *operatorHook) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

func (h *operatorHook) last(t *testing.T) httphook.Payload {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.got) == 0 {
		t.Fatal("the operator hook received nothing")
	}
	return h.got[len(h.got)-1]
}

var codeInText = regexp.MustCompile(`\b(\d{6})\b`)

// TestSMSRoutesPerRegion: +86, +852 and +1 codes go through three routes
// (Tencent then Aliyun; Aliyun; Twilio then the http hook), each is logged
// in with the code its vendor received, and a vendor failing on one route
// fails over inside that route only.
func TestSMSRoutesPerRegion(t *testing.T) {
	t.Parallel()
	tw := smstest.NewTwilio(t, smstest.DefaultTwilioAccount())
	hook := newOperatorHook(t)
	twcfg := tw.Config()
	rig := startVendorRig(t, map[string]string{
		"AUTHD_SMS_PROVIDERS":                    "",
		"AUTHD_SMS_ROUTES":                       "CN=tencent,aliyun;HK=aliyun;*=twilio,http",
		"AUTHD_SMS_ALLOWED_REGIONS":              "CN,HK,US",
		"AUTHD_SMS_BREAKER_FAILURES":             "1",
		"AUTHD_SMS_TWILIO_ACCOUNT_SID":           twcfg.AccountSID,
		"AUTHD_SMS_TWILIO_AUTH_TOKEN":            twcfg.AuthToken,
		"AUTHD_SMS_TWILIO_MESSAGING_SERVICE_SID": twcfg.MessagingServiceSID,
		"AUTHD_SMS_TWILIO_BASE_URL":              tw.URL,
		"AUTHD_SMS_HTTP_URL":                     hook.URL,
		"AUTHD_SMS_HTTP_SECRET":                  hookSecret,
		"AUTHD_SMS_TEXTS":                        "login.fr=Code {code}",
	})

	cn := newPhone()
	rig.sendOK(t, cn)
	rig.loginWith(t, cn, lastTencent(t, rig.tencent, cn).Code, http.StatusCreated)

	const hk = "+85291234567"
	rig.sendOK(t, hk)
	rig.loginWith(t, hk, lastAliyun(t, rig.aliyun, "85291234567").Code, http.StatusCreated)

	const us = "+14155552671"
	rig.sendOK(t, us)
	m, ok := tw.Last()
	if !ok || m.Phone != us {
		t.Fatalf("twilio got %+v", m)
	}
	code := codeInText.FindString(m.Template)
	rig.loginWith(t, us, code, http.StatusCreated)
	if n := rig.tencent.Requests() + hook.count(); n != 1 {
		t.Errorf("tencent and the hook saw %d requests, want only the CN one", n)
	}

	// Twilio fails on the * route: the hook takes over there, and its
	// breaker opens there only; CN and HK are untouched.
	tw.SetMode(smstest.CallError("20500", http.StatusInternalServerError))
	const us2 = "+14155552672"
	if r := rig.c.Post("/v1/sms/codes", map[string]string{"phone": us2, "locale": "fr-CA"}); r.Status != http.StatusAccepted {
		t.Fatalf("request code: %d %s", r.Status, r.Raw)
	}
	p := hook.last(t)
	if p.Phone != us2 || p.Purpose != "login" || p.TTLSeconds != 300 || p.Locale != "fr-CA" ||
		p.Text != "Code "+p.Code {
		t.Errorf("hook payload %+v", p)
	}
	rig.loginWith(t, us2, p.Code, http.StatusCreated)
	wantVendorMetric(t, rig.c, `authd_sms_breaker_state{provider="twilio",route="*"}`, 1)

	before := rig.aliyun.Requests()
	cn2 := newPhone()
	rig.sendOK(t, cn2)
	rig.loginWith(t, cn2, lastTencent(t, rig.tencent, cn2).Code, http.StatusCreated)
	if rig.aliyun.Requests() != before {
		t.Error("the CN route failed over although only the * route's vendor failed")
	}
	wantVendorMetric(t, rig.c, `authd_sms_breaker_state{provider="tencent",route="CN"}`, 0)
}
