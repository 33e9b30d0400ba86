package test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/test/harness"
)

// The suites in this file run authd with AUTHD_SMS_PROVIDERS=tencent,aliyun
// and both vendor endpoints pointed at the fake vendors of smstest, which
// check the real SDKs' signatures. Everything is observed from outside: the
// HTTP API, what the fakes received, /metrics and the send log table.

const (
	vendorBudget  = 2 * time.Second
	vendorTimeout = time.Second
)

// vendorRig is an authd instance sending through a fake Tencent, then a
// fake Aliyun.
type vendorRig struct {
	inst    *harness.Instance
	c       *harness.Client
	tencent *smstest.Tencent
	aliyun  *smstest.Aliyun
}

// startVendorRig starts both fakes and an instance configured for them;
// extra settings override the defaults.
func startVendorRig(t *testing.T, extra map[string]string) *vendorRig {
	t.Helper()
	tc := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	al := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	tcfg, acfg := tc.Config(), al.Config()
	env := map[string]string{
		"AUTHD_SMS_PROVIDERS": "tencent,aliyun",
		"AUTHD_SMS_BUDGET":    vendorBudget.String(),

		"AUTHD_SMS_TENCENT_SECRET_ID":               tcfg.SecretID,
		"AUTHD_SMS_TENCENT_SECRET_KEY":              tcfg.SecretKey,
		"AUTHD_SMS_TENCENT_SDK_APP_ID":              tcfg.SDKAppID,
		"AUTHD_SMS_TENCENT_SIGN_NAME":               tcfg.SignName,
		"AUTHD_SMS_TENCENT_ENDPOINT":                tc.URL,
		"AUTHD_SMS_TENCENT_TEMPLATE_LOGIN":          tcfg.TemplateLogin,
		"AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD": tcfg.TemplateResetPassword,
		"AUTHD_SMS_TENCENT_TIMEOUT":                 vendorTimeout.String(),
		"AUTHD_SMS_TENCENT_INTL_TEMPLATE_LOGIN":     tcfg.IntlTemplateLogin,

		"AUTHD_SMS_ALIYUN_ACCESS_KEY_ID":           acfg.AccessKeyID,
		"AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET":       acfg.AccessKeySecret,
		"AUTHD_SMS_ALIYUN_SIGN_NAME":               acfg.SignName,
		"AUTHD_SMS_ALIYUN_ENDPOINT":                al.URL,
		"AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN":          acfg.TemplateLogin,
		"AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD": acfg.TemplateResetPassword,
		"AUTHD_SMS_ALIYUN_TIMEOUT":                 vendorTimeout.String(),
		"AUTHD_SMS_ALIYUN_INTL_SIGN_NAME":          acfg.IntlSignName,
		"AUTHD_SMS_ALIYUN_INTL_TEMPLATE_LOGIN":     acfg.IntlTemplateLogin,
	}
	for k, v := range extra {
		env[k] = v
	}
	inst := start(t, embedded, harness.Options{Env: env, RealSMS: true})
	return &vendorRig{inst: inst, c: inst.Client(t), tencent: tc, aliyun: al}
}

// send asks for a login code for phone and returns the response.
func (r *vendorRig) send(t *testing.T, phone string) harness.Response {
	t.Helper()
	return r.c.Post("/v1/sms/codes", map[string]string{"phone": phone, "purpose": "login"})
}

// sendOK asks for a login code and fails the test unless the answer is 202.
func (r *vendorRig) sendOK(t *testing.T, phone string) {
	t.Helper()
	if res := r.send(t, phone); res.Status != http.StatusAccepted {
		t.Fatalf("request code for %s: want 202, got %d %s", phone, res.Status, res.Raw)
	}
}

// loginWith logs phone in with code and wants a session with the status.
func (r *vendorRig) loginWith(t *testing.T, phone, code string, status int) harness.Response {
	t.Helper()
	res := r.c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code})
	if res.Status != status {
		t.Fatalf("log in %s with the vendor's code: want %d, got %d %s", phone, status, res.Status, res.Raw)
	}
	return res
}

// lastTencent is the last message the Tencent fake received for phone.
func lastTencent(t *testing.T, f *smstest.Tencent, phone string) smstest.Message {
	t.Helper()
	msgs := f.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Phone == e164(phone) {
			return msgs[i]
		}
	}
	t.Fatalf("tencent received nothing for %s (%d messages)", e164(phone), len(msgs))
	return smstest.Message{}
}

// lastAliyun is the last message the Aliyun fake received for phone
// (Aliyun gets mainland numbers without +86).
func lastAliyun(t *testing.T, f *smstest.Aliyun, phone string) smstest.Message {
	t.Helper()
	msgs := f.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Phone == phone {
			return msgs[i]
		}
	}
	t.Fatalf("aliyun received nothing for %s (%d messages)", phone, len(msgs))
	return smstest.Message{}
}

// vendorMetric reads one sample from /metrics; name includes the labels as
// Prometheus prints them. A missing sample is -1.
func vendorMetric(t *testing.T, c *harness.Client, name string) float64 {
	t.Helper()
	r := c.Get("/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics: %d", r.Status)
	}
	for _, line := range strings.Split(string(r.Raw), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("metric %s: %q", name, line)
			}
			return f
		}
	}
	return -1
}

func wantVendorMetric(t *testing.T, c *harness.Client, name string, want float64) {
	t.Helper()
	if got := vendorMetric(t, c, name); got != want {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// vendorAttempt is one row of the send log (table sms_attempts).
type vendorAttempt struct {
	Provider, VendorMessageID, Status, VendorCode, ReceiptCode string
}

// vendorAttempts reads the send log rows of one message straight from the
// instance's SQLite file.
func vendorAttempts(t *testing.T, inst *harness.Instance, messageID string) []vendorAttempt {
	t.Helper()
	db, err := sql.Open(sqliteshim.ShimName, "file:"+inst.DataDir+"/authd.db?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, `SELECT provider, vendor_message_id, status, vendor_code, receipt_code
		FROM sms_attempts WHERE message_id = ? ORDER BY created_at, id`, messageID)
	if err != nil {
		t.Fatalf("read sms_attempts: %v", err)
	}
	defer rows.Close()
	var out []vendorAttempt
	for rows.Next() {
		var a vendorAttempt
		if err := rows.Scan(&a.Provider, &a.VendorMessageID, &a.Status, &a.VendorCode, &a.ReceiptCode); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantRetryAfter checks a 429's Retry-After header and body member.
func wantRetryAfter(t *testing.T, r harness.Response, seconds int) {
	t.Helper()
	if h := r.Header.Get("Retry-After"); h != strconv.Itoa(seconds) {
		t.Errorf("Retry-After %q, want %d", h, seconds)
	}
	if v, _ := r.JSON["retry_after"].(float64); int(v) != seconds {
		t.Errorf("retry_after %v, want %d", r.JSON["retry_after"], seconds)
	}
}

func TestSMSVendorsLoginWithTencentCode(t *testing.T) {
	t.Parallel()
	rig := startVendorRig(t, nil)
	phone := newPhone()
	r := rig.send(t, phone)
	if r.Status != http.StatusAccepted || r.Str("phone") != e164(phone) {
		t.Fatalf("request code: %d %s", r.Status, r.Raw)
	}
	msg := lastTencent(t, rig.tencent, phone)
	acct := smstest.DefaultTencentAccount()
	if msg.Template != acct.TemplateLogin || msg.SignName != acct.SignName || msg.SDKAppID != acct.SDKAppID {
		t.Errorf("tencent got template %q sign %q app %q", msg.Template, msg.SignName, msg.SDKAppID)
	}
	// Tencent templates take [code, ttl_minutes]; the default TTL is 5m.
	if len(msg.Params) != 2 || msg.Params[0] != msg.Code || msg.Params[1] != "5" || len(msg.Code) != 6 {
		t.Errorf("tencent params %q, want [code, \"5\"]", msg.Params)
	}
	if n := rig.aliyun.Requests(); n != 0 {
		t.Errorf("aliyun called %d times while tencent was healthy", n)
	}
	s := rig.loginWith(t, phone, msg.Code, http.StatusCreated)
	if s.JSON["created"] != true || s.User()["phone"] != e164(phone) {
		t.Errorf("session: %s", s.Raw)
	}
	wantVendorMetric(t, rig.c, `authd_sms_sends_total{outcome="sent",provider="tencent"}`, 1)

	// The reset template gets the same parameters, under its own template.
	r = rig.c.Post("/v1/sms/codes", map[string]string{"phone": phone, "purpose": "reset_password"})
	if r.Status != http.StatusAccepted {
		t.Fatalf("reset code: %d %s", r.Status, r.Raw)
	}
	rig.inst.Settle(t) // reset texts go out after the answer
	if msg := lastTencent(t, rig.tencent, phone); msg.Template != acct.TemplateResetPassword || len(msg.Params) != 2 {
		t.Errorf("reset message: template %q params %q", msg.Template, msg.Params)
	}
}

func TestSMSVendorsFailover(t *testing.T) {
	t.Parallel()
	// A high breaker threshold keeps the subtests independent of each other.
	rig := startVendorRig(t, map[string]string{"AUTHD_SMS_BREAKER_FAILURES": "100"})

	// viaAliyun sends a code while Tencent is unusable, wants 202 from
	// Aliyun and logs in with the code Aliyun received.
	viaAliyun := func(t *testing.T) time.Duration {
		t.Helper()
		phone := newPhone()
		before := len(rig.aliyun.Messages())
		began := time.Now()
		rig.sendOK(t, phone)
		took := time.Since(began)
		if got := len(rig.aliyun.Messages()); got != before+1 {
			t.Fatalf("aliyun received %d messages, want %d", got, before+1)
		}
		msg := lastAliyun(t, rig.aliyun, phone)
		if !msg.Accepted || msg.Template != smstest.DefaultAliyunAccount().TemplateLogin || len(msg.Params) != 1 {
			t.Errorf("aliyun message: %+v", msg)
		}
		rig.loginWith(t, phone, msg.Code, http.StatusCreated)
		return took
	}

	t.Run("tencent answers 500", func(t *testing.T) {
		rig.tencent.SetMode(smstest.Status(http.StatusInternalServerError))
		before := rig.tencent.Requests()
		viaAliyun(t)
		if rig.tencent.Requests() != before+1 {
			t.Errorf("tencent requests %d, want %d: it must be tried first", rig.tencent.Requests(), before+1)
		}
		if v := vendorMetric(t, rig.c, `authd_sms_failovers_total{from="tencent"}`); v < 1 {
			t.Errorf("authd_sms_failovers_total{from=\"tencent\"} = %v, want >= 1", v)
		}
	})

	t.Run("tencent hangs", func(t *testing.T) {
		rig.tencent.SetMode(smstest.Hang)
		took := viaAliyun(t)
		// A bound, not a benchmark: one request never takes much longer
		// than the budget, however long the first vendor hangs.
		if limit := vendorBudget + time.Second; took > limit {
			t.Errorf("request took %v with tencent hanging, want below %v", took, limit)
		}
		if took < vendorTimeout/2 {
			t.Errorf("request took %v: tencent was not waited for at all", took)
		}
	})

	t.Run("tencent config error", func(t *testing.T) {
		rig.tencent.SetMode(smstest.CallError("AuthFailure.SecretIdNotFound", 0))
		viaAliyun(t)
	})

	t.Run("tencent stopped", func(t *testing.T) {
		rig.tencent.SetMode(smstest.OK)
		before := rig.tencent.Requests()
		rig.tencent.Close()
		viaAliyun(t)
		viaAliyun(t)
		if n := rig.tencent.Requests(); n != before {
			t.Errorf("stopped tencent counted %d requests", n-before)
		}
	})
}

func TestSMSVendorsNumberErrors(t *testing.T) {
	t.Parallel()
	rig := startVendorRig(t, map[string]string{"AUTHD_SMS_BREAKER_FAILURES": "100"})

	// noFailover runs one send with Tencent in mode and wants Aliyun left alone.
	noFailover := func(t *testing.T, mode smstest.Mode) harness.Response {
		t.Helper()
		rig.tencent.SetMode(mode)
		rig.aliyun.SetMode(smstest.OK)
		before := rig.aliyun.Requests()
		r := rig.send(t, newPhone())
		if n := rig.aliyun.Requests(); n != before {
			t.Errorf("aliyun called %d times after tencent's verdict on the number", n-before)
		}
		return r
	}

	t.Run("bad number is 400 without failover", func(t *testing.T) {
		r := noFailover(t, smstest.NumberError("InvalidParameterValue.IncorrectPhoneNumber"))
		wantProblem(t, r, http.StatusBadRequest, "invalid_phone")
	})
	t.Run("per-number window is 429", func(t *testing.T) {
		r := noFailover(t, smstest.NumberError("LimitExceeded.PhoneNumberThirtySecondLimit"))
		wantProblem(t, r, http.StatusTooManyRequests, "rate_limited")
		wantRetryAfter(t, r, 30)
	})
	t.Run("per-number hourly limit is 429", func(t *testing.T) {
		r := noFailover(t, smstest.NumberError("LimitExceeded.PhoneNumberOneHourLimit"))
		wantProblem(t, r, http.StatusTooManyRequests, "rate_limited")
		wantRetryAfter(t, r, 3600)
	})
	t.Run("per-number daily cap is 502", func(t *testing.T) {
		r := noFailover(t, smstest.NumberError("LimitExceeded.PhoneNumberDailyLimit"))
		wantProblem(t, r, http.StatusBadGateway, "sms_delivery_failed")
	})
	t.Run("blacklisted number is 502", func(t *testing.T) {
		r := noFailover(t, smstest.NumberError("FailedOperation.PhoneNumberInBlacklist"))
		wantProblem(t, r, http.StatusBadGateway, "sms_delivery_failed")
	})
	t.Run("aliyun verdicts after failover", func(t *testing.T) {
		rig.tencent.SetMode(smstest.Status(http.StatusServiceUnavailable))
		rig.aliyun.SetMode(smstest.NumberError("isv.BUSINESS_LIMIT_CONTROL"))
		r := rig.send(t, newPhone())
		wantProblem(t, r, http.StatusTooManyRequests, "rate_limited")
		wantRetryAfter(t, r, 60)
		rig.aliyun.SetMode(smstest.NumberError("isv.MOBILE_NUMBER_ILLEGAL"))
		wantProblem(t, rig.send(t, newPhone()), http.StatusBadRequest, "invalid_phone")
	})
}

func TestSMSVendorsBothFail(t *testing.T) {
	t.Parallel()
	rig := startVendorRig(t, nil)
	phone := newPhone()
	rig.tencent.SetMode(smstest.CallError("InternalError.Timeout", 0))
	rig.aliyun.SetMode(smstest.Status(http.StatusBadGateway))
	r := rig.send(t, phone)
	wantProblem(t, r, http.StatusBadGateway, "sms_delivery_failed")
	failed := lastTencent(t, rig.tencent, phone)
	wantVendorMetric(t, rig.c, `authd_sms_send_failures_total{provider="tencent",vendor_code="InternalError.Timeout"}`, 1)
	// A bare 502 (no vendor JSON) still gets a vendor code to alert on.
	wantVendorMetric(t, rig.c, `authd_sms_send_failures_total{provider="aliyun",vendor_code="authd.HTTP502"}`, 1)
	wantVendorMetric(t, rig.c, `authd_sms_send_failures_total{provider="aliyun",vendor_code=""}`, -1)
	if alsoAliyun := lastAliyun(t, rig.aliyun, phone); alsoAliyun.Code != failed.Code || alsoAliyun.Accepted {
		t.Errorf("aliyun got %+v, want the same refused code", alsoAliyun)
	}

	// A vendor is healthy again: the client retries at once (the failed
	// send consumed no cooldown) and gets a new code.
	rig.aliyun.SetMode(smstest.OK)
	rig.sendOK(t, phone)
	good := lastAliyun(t, rig.aliyun, phone)
	if !good.Accepted {
		t.Fatalf("aliyun did not accept the retry: %+v", good)
	}
	if failed.Code != good.Code {
		// The code of the failed attempt was withdrawn. (Skipped in the
		// one-in-a-million case of equal codes.)
		r := rig.c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": failed.Code})
		wantProblem(t, r, http.StatusUnauthorized, "invalid_code")
	}
	rig.loginWith(t, phone, good.Code, http.StatusCreated)

	// The retry's resend cooldown does count.
	wantProblem(t, rig.send(t, phone), http.StatusTooManyRequests, "rate_limited")

	// Both vendors hang: the budget still bounds the request.
	rig.tencent.SetMode(smstest.Hang)
	rig.aliyun.SetMode(smstest.Hang)
	began := time.Now()
	wantProblem(t, rig.send(t, newPhone()), http.StatusBadGateway, "sms_delivery_failed")
	if took, limit := time.Since(began), vendorBudget+time.Second; took > limit {
		t.Errorf("request took %v with both vendors hanging, want below %v", took, limit)
	}
}

func TestSMSVendorsInitialPassword(t *testing.T) {
	t.Parallel()
	tacct, aacct := smstest.DefaultTencentAccount(), smstest.DefaultAliyunAccount()
	rig := startVendorRig(t, map[string]string{
		"AUTHD_REGISTRATION_SEND_INITIAL_PASSWORD":    "true",
		"AUTHD_CODE_RESEND_AFTER":                     "0s",
		"AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD": tacct.TemplateInitialPassword,
		"AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD":  aacct.TemplateInitialPassword,
	})
	phone := newPhone()
	rig.sendOK(t, phone)
	s := rig.loginWith(t, phone, lastTencent(t, rig.tencent, phone).Code, http.StatusCreated)
	if s.User()["has_password"] != true {
		t.Errorf("registered user has no password: %s", s.Raw)
	}
	pw := lastTencent(t, rig.tencent, phone)
	if pw.Template != tacct.TemplateInitialPassword || len(pw.Params) != 1 || len(pw.Code) < 12 {
		t.Fatalf("initial password message: template %q params %q", pw.Template, pw.Params)
	}
	r := rig.c.Post("/v1/sessions/password", map[string]string{"login": phone, "password": pw.Code})
	if r.Status != http.StatusOK || r.User()["id"] != s.User()["id"] {
		t.Fatalf("password login with the texted password: %d %s", r.Status, r.Raw)
	}
	// A returning user logs in without a new password being texted.
	rig.sendOK(t, phone)
	n := len(rig.tencent.Messages())
	again := rig.loginWith(t, phone, lastTencent(t, rig.tencent, phone).Code, http.StatusOK)
	if again.JSON["created"] != false {
		t.Errorf("second login: %s", again.Raw)
	}
	if got := len(rig.tencent.Messages()); got != n {
		t.Errorf("tencent got %d more messages at a returning login", got-n)
	}
}

func TestSMSVendorsBreaker(t *testing.T) {
	t.Parallel()
	const cooldown = time.Second
	rig := startVendorRig(t, map[string]string{
		"AUTHD_SMS_BREAKER_FAILURES": "2",
		"AUTHD_SMS_BREAKER_COOLDOWN": cooldown.String(),
	})
	state := `authd_sms_breaker_state{provider="tencent",route="*"}`
	wantVendorMetric(t, rig.c, state, 0)

	rig.tencent.SetMode(smstest.Status(http.StatusInternalServerError))
	for i := range 2 {
		rig.sendOK(t, newPhone()) // via aliyun
		if n := rig.tencent.Requests(); n != i+1 {
			t.Fatalf("tencent requests %d after failure %d", n, i+1)
		}
	}
	wantVendorMetric(t, rig.c, state, 1)
	opened := time.Now()

	// Open: sends skip Tencent and go straight to Aliyun.
	for range 2 {
		phone := newPhone()
		rig.sendOK(t, phone)
		lastAliyun(t, rig.aliyun, phone)
	}
	if n := rig.tencent.Requests(); n != 2 {
		t.Fatalf("tencent got %d requests while its circuit was open, want 2", n)
	}
	if time.Since(opened) >= cooldown {
		t.Fatalf("the open-circuit sends took longer than the cooldown (%v): raise it", cooldown)
	}

	// After the cooldown one probe goes to Tencent; its success closes the
	// circuit and Tencent is first again.
	rig.tencent.SetMode(smstest.OK)
	time.Sleep(time.Until(opened.Add(cooldown + 100*time.Millisecond)))
	aliyunBefore := rig.aliyun.Requests()
	phone := newPhone()
	rig.sendOK(t, phone)
	if n := rig.tencent.Requests(); n != 3 {
		t.Fatalf("tencent got %d requests after the cooldown, want 3 (one probe)", n)
	}
	probe := lastTencent(t, rig.tencent, phone)
	if rig.aliyun.Requests() != aliyunBefore {
		t.Errorf("aliyun called although the probe succeeded")
	}
	rig.loginWith(t, phone, probe.Code, http.StatusCreated)
	wantVendorMetric(t, rig.c, state, 0)
	rig.sendOK(t, newPhone())
	if n := rig.tencent.Requests(); n != 4 {
		t.Errorf("tencent got %d requests after closing, want 4", n)
	}
	wantVendorMetric(t, rig.c, `authd_sms_breaker_state{provider="aliyun",route="*"}`, 0)
}

func TestSMSVendorsReceipts(t *testing.T) {
	t.Parallel()
	const secret = "receipt-secret-0123456789"
	rig := startVendorRig(t, map[string]string{"AUTHD_SMS_RECEIPT_SECRET": secret})
	q := "?secret=" + url.QueryEscape(secret)

	// sentAttempt returns the send log row of the vendor's accepted attempt.
	sentAttempt := func(t *testing.T, ref, provider string) vendorAttempt {
		t.Helper()
		for _, a := range vendorAttempts(t, rig.inst, ref) {
			if a.Provider == provider && a.Status == "sent" {
				if a.VendorMessageID == "" {
					t.Fatalf("%s attempt logged without the vendor's message id", provider)
				}
				return a
			}
		}
		t.Fatalf("no sent %s attempt logged for message %s", provider, ref)
		return vendorAttempt{}
	}
	wantStatus := func(t *testing.T, ref, provider, status, receiptCode string) {
		t.Helper()
		for _, a := range vendorAttempts(t, rig.inst, ref) {
			if a.Provider == provider {
				if a.Status != status || a.ReceiptCode != receiptCode {
					t.Errorf("%s attempt: status %q receipt code %q, want %q %q", provider, a.Status, a.ReceiptCode, status, receiptCode)
				}
				return
			}
		}
		t.Errorf("no %s attempt for %s", provider, ref)
	}
	wantAnswer := func(t *testing.T, r harness.Response, body string) {
		t.Helper()
		if r.Status != http.StatusOK || string(r.Raw) != body {
			t.Fatalf("receipt answer: %d %s, want 200 %s", r.Status, r.Raw, body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("receipt answer content type %q", ct)
		}
	}
	tencentReceipt := func(phone, sid, status, errmsg string) []map[string]any {
		return []map[string]any{{
			"user_receive_time": time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05"),
			"nationcode":        "86", "mobile": phone, "report_status": status,
			"errmsg": errmsg, "description": "delivered", "sid": sid,
		}}
	}

	t.Run("tencent", func(t *testing.T) {
		phone := newPhone()
		rig.sendOK(t, phone)
		msg := lastTencent(t, rig.tencent, phone)
		a := sentAttempt(t, msg.Ref, "tencent")
		r := rig.c.Post("/v1/sms/receipts/tencent"+q, tencentReceipt(phone, a.VendorMessageID, "SUCCESS", "DELIVRD"))
		wantAnswer(t, r, `{"result":0,"errmsg":"OK"}`)
		wantStatus(t, msg.Ref, "tencent", "delivered", "DELIVRD")
		wantVendorMetric(t, rig.c, `authd_sms_receipts_total{provider="tencent",status="delivered"}`, 1)

		// The secret may come as a bearer token instead; a receipt for an
		// unknown sid is still acknowledged, and counted as unmatched.
		r = rig.c.Post("/v1/sms/receipts/tencent", tencentReceipt(phone, "2028:unknown", "FAIL", "MK:0001"),
			"Authorization: Bearer "+secret)
		wantAnswer(t, r, `{"result":0,"errmsg":"OK"}`)
		wantVendorMetric(t, rig.c, `authd_sms_receipts_total{provider="tencent",status="unmatched"}`, 1)
	})

	t.Run("aliyun", func(t *testing.T) {
		rig.tencent.SetMode(smstest.Status(http.StatusInternalServerError))
		defer rig.tencent.SetMode(smstest.OK)

		// Matched by biz_id.
		phone := newPhone()
		rig.sendOK(t, phone)
		msg := lastAliyun(t, rig.aliyun, phone)
		a := sentAttempt(t, msg.Ref, "aliyun")
		wantStatus(t, msg.Ref, "tencent", "failed", "")
		body := []map[string]any{{
			"phone_number": phone, "send_time": "2024-05-01 10:00:00", "report_time": "2024-05-01 10:00:05",
			"success": true, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
			"biz_id": a.VendorMessageID, "out_id": msg.Ref,
		}}
		r := rig.c.Post("/v1/sms/receipts/aliyun"+q, body)
		wantAnswer(t, r, `{"code":0,"msg":"接收成功"}`)
		wantStatus(t, msg.Ref, "aliyun", "delivered", "DELIVERED")
		wantStatus(t, msg.Ref, "tencent", "failed", "") // the receipt is the vendor's alone
		wantVendorMetric(t, rig.c, `authd_sms_receipts_total{provider="aliyun",status="delivered"}`, 1)

		// Matched by out_id alone (our message id), reporting a failure.
		phone = newPhone()
		rig.sendOK(t, phone)
		msg = lastAliyun(t, rig.aliyun, phone)
		body = []map[string]any{{"phone_number": phone, "success": "false", "err_code": "MOBILE_NOT_ON_SERVICE", "out_id": msg.Ref}}
		r = rig.c.Post("/v1/sms/receipts/aliyun"+q, body)
		wantAnswer(t, r, `{"code":0,"msg":"接收成功"}`)
		wantStatus(t, msg.Ref, "aliyun", "undelivered", "MOBILE_NOT_ON_SERVICE")
		wantVendorMetric(t, rig.c, `authd_sms_receipts_total{provider="aliyun",status="undelivered"}`, 1)
	})

	t.Run("refused", func(t *testing.T) {
		valid := tencentReceipt("13800000000", "2028:1", "SUCCESS", "DELIVRD")
		for name, path := range map[string]string{
			"missing secret": "/v1/sms/receipts/tencent",
			"wrong secret":   "/v1/sms/receipts/tencent?secret=not-" + secret,
			"empty secret":   "/v1/sms/receipts/aliyun?secret=",
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, rig.c.Post(path, valid), http.StatusUnauthorized, "invalid_token")
			})
		}
		wantProblem(t, rig.c.Post("/v1/sms/receipts/tencent", valid, "Authorization: Bearer wrong"),
			http.StatusUnauthorized, "invalid_token")
		for name, body := range map[string]string{
			"not json":          `{"sid":`,
			"object, not array": `{"sid":"2028:1"}`,
			"tencent no sid":    `[{"report_status":"SUCCESS"}]`,
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, rig.c.Post("/v1/sms/receipts/tencent"+q, body), http.StatusBadRequest, "invalid_request")
			})
		}
		wantProblem(t, rig.c.Post("/v1/sms/receipts/aliyun"+q, `[{"success":true}]`), http.StatusBadRequest, "invalid_request")
		wantProblem(t, rig.c.Post("/v1/sms/receipts/aliyun"+q, `[{"out_id":"x","success":"maybe"}]`), http.StatusBadRequest, "invalid_request")
		wantProblem(t, rig.c.Post("/v1/sms/receipts/console"+q, `[]`), http.StatusNotFound, "not_found")
	})
}

func TestSMSVendorsReceiptsOffWithoutSecret(t *testing.T) {
	t.Parallel()
	rig := startVendorRig(t, nil)
	for _, provider := range []string{"tencent", "aliyun"} {
		for _, q := range []string{"", "?secret=anything"} {
			r := rig.c.Post("/v1/sms/receipts/"+provider+q, `[]`)
			wantProblem(t, r, http.StatusNotFound, "not_found")
		}
	}
}
