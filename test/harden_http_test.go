package test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

// rawExchange writes req as is (framing the client library would refuse)
// and reads one answer; closed reports whether the server closed the
// connection after it.
func rawExchange(t *testing.T, base, req string) (status int, closed bool) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return 0, true // reset or closed without an answer
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		return resp.StatusCode, true
	}
	_ = conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	_, err = br.ReadByte()
	var ne net.Error
	stillOpen := errors.As(err, &ne) && ne.Timeout()
	return resp.StatusCode, !stillOpen
}

// Behind a trusted proxy that appends its own X-Forwarded-For line, the
// client's first line must not pick the client IP (it would dodge every
// per-IP limit): all lines count, joined in order.
func TestForwardedForLinesAreJoined(t *testing.T) {
	inst := start(t, embedded, harness.Options{Env: map[string]string{
		"AUTHD_TRUSTED_PROXIES": "127.0.0.1", "AUTHD_IP_CODE_LIMIT": "1"}})
	c := inst.Client(t)
	for i := range 3 {
		c.Header["X-Forwarded-For"] = []string{fmt.Sprintf("9.9.9.%d", i), "203.0.113.7"}
		r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()})
		if i == 0 && r.Status != 202 {
			t.Fatalf("first code: %d %s", r.Status, r.Raw)
		}
		if i > 0 {
			wantProblem(t, r, 429, "rate_limited")
		}
	}
}

// An IPv6 zone in X-Forwarded-For is client text, not an address: bytes in
// it reached the database (a NUL or invalid UTF-8 gave 500s).
func TestForwardedForZoneIsRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_TRUSTED_PROXIES": "127.0.0.1"}})
		c := inst.Client(t)
		phone := newPhone()
		code := requestCode(t, inst, c, phone, "")
		body := fmt.Sprintf(`{"phone":%q,"code":%q}`, phone, code)
		req := fmt.Sprintf("POST /v1/sessions/sms HTTP/1.1\r\nHost: authd\r\nX-Forwarded-For: fe80::1%%a\xffb\r\n"+
			"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		if status, _ := rawExchange(t, inst.URL, req); status != 201 {
			t.Fatalf("login through a zoned X-Forwarded-For: %d, want 201", status)
		}
	})
}

// Token and profile answers must not be kept by caches (RFC 6749 5.1).
func TestTokenAnswersAreNotCached(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	wantNoStore := func(name string, r harness.Response) {
		t.Helper()
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Pragma") != "no-cache" {
			t.Errorf("%s (%d): Cache-Control %q Pragma %q", name, r.Status, r.Header.Get("Cache-Control"), r.Header.Get("Pragma"))
		}
	}
	wantNoStore("login", s)
	wantNoStore("me", c.Get("/v1/me", bearer(s)))
	wantNoStore("bad password login", c.Post("/v1/sessions/password", map[string]string{"login": "nobody", "password": "x-123456789"}))
	wantNoStore("refresh", c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")}))
	if r := c.Get("/healthz"); r.Header.Get("Cache-Control") == "no-store" {
		t.Errorf("healthz should not need no-store")
	}
}

// Only JSON bodies: a "simple" cross-site POST (text/plain, a form) or a
// body without a type is 415, so no web page can make browsers send codes.
func TestBodiesMustBeJSON(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	body := fmt.Sprintf(`{"phone":%q}`, newPhone())
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"application/json; charset=latin1", "application/jsonx", ""} {
		req := "POST /v1/sms/codes HTTP/1.1\r\nHost: authd\r\n"
		if ct != "" {
			req += "Content-Type: " + ct + "\r\n"
		}
		req += fmt.Sprintf("Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
		if status, _ := rawExchange(t, inst.URL, req); status != 415 {
			t.Errorf("Content-Type %q: %d, want 415", ct, status)
		}
	}
	r := c.Post("/v1/sms/codes", body, "Content-Type: text/plain")
	wantProblem(t, r, 415, "unsupported_media_type")
	if len(inst.SMS.Sent()) != 0 {
		t.Fatalf("a non-JSON request sent %d texts", len(inst.SMS.Sent()))
	}
	if r := c.Post("/v1/sms/codes", body, "Content-Type: application/json; charset=UTF-8"); r.Status != 202 {
		t.Fatalf("JSON with a charset: %d %s", r.Status, r.Raw)
	}
}

// Routes are exact: another case or a trailing slash is another path.
func TestRoutingIsExact(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	for _, p := range []string{"/HEALTHZ", "/healthz/", "/Openapi.json", "/openapi.json/"} {
		if r := c.Get(p); r.Status != 404 {
			t.Errorf("GET %s: %d, want 404", p, r.Status)
		}
	}
	if r := c.Get("/healthz"); r.Status != 200 {
		t.Errorf("GET /healthz: %d", r.Status)
	}
}

// Ambiguous framing (RFC 9112 6.3) is refused before routing with 400 and
// the connection closed: a lenient proxy in front would frame it another
// way (request smuggling).
func TestAmbiguousFramingIsRefused(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	body := `{"phone":"13800000000"}`
	cases := map[string]string{
		"two differing Content-Length": fmt.Sprintf("POST /v1/sms/codes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"+
			"Content-Length: %d\r\nContent-Length: 3\r\n\r\n%s", len(body), body),
		"Transfer-Encoding and Content-Length": fmt.Sprintf("POST /v1/sms/codes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"+
			"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body),
		"xchunked": fmt.Sprintf("POST /v1/sms/codes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"+
			"Transfer-Encoding: xchunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body),
	}
	for name, req := range cases {
		status, closed := rawExchange(t, inst.URL, req)
		if status != 400 || !closed {
			t.Errorf("%s: status %d closed %v, want 400 and closed", name, status, closed)
		}
	}
}

// smsMetrics reads every authd_sms_* sample of the instance, keyed by its
// name and labels (histograms by their sample count).
func smsMetrics(t *testing.T, inst *harness.Instance) map[string]float64 {
	t.Helper()
	mfs, err := inst.Server.Gatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "authd_sms_") {
			continue
		}
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += fmt.Sprintf(" %s=%q", l.GetName(), l.GetValue())
			}
			switch {
			case m.Counter != nil:
				out[key] = m.GetCounter().GetValue()
			case m.Gauge != nil:
				out[key] = m.GetGauge().GetValue()
			case m.Histogram != nil:
				out[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

// metricsDelta is what moved between two readings.
func metricsDelta(before, after map[string]float64) map[string]float64 {
	d := map[string]float64{}
	for k, v := range after {
		if v != before[k] {
			d[k] = v - before[k]
		}
	}
	return d
}

// No metric may tell a registered phone from an unknown one: a reset code
// is texted only to a registered phone, so a reset request must move the
// SMS series exactly as much for either (authd_sms_sends_total did not).
func TestMetricsDoNotTellRegisteredPhones(t *testing.T) {
	inst := start(t, embedded, harness.Options{RealSMS: true})
	c := inst.Client(t)
	phone := newPhone()
	r := c.Post("/v1/sms/codes", map[string]string{"phone": phone})
	if r.Status != 202 {
		t.Fatalf("login code: %d %s", r.Status, r.Raw)
	}
	code := logCode(t, inst, phone, "login")
	if r := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}); r.Status != 201 {
		t.Fatalf("login: %d %s", r.Status, r.Raw)
	}
	reset := func(p string) map[string]float64 {
		before := smsMetrics(t, inst)
		if r := c.Post("/v1/sms/codes", map[string]string{"phone": p, "purpose": "reset_password"}); r.Status != 202 {
			t.Fatalf("reset code: %d %s", r.Status, r.Raw)
		}
		inst.Settle(t)
		return metricsDelta(before, smsMetrics(t, inst))
	}
	unknown, registered := reset(newPhone()), reset(phone)
	if got := logCode(t, inst, phone, "reset_password"); got == "" {
		t.Fatal("the registered phone got no reset code")
	}
	if fmt.Sprint(unknown) != fmt.Sprint(registered) {
		t.Fatalf("the SMS metrics moved differently for a registered phone:\nunknown    %v\nregistered %v", unknown, registered)
	}
}

// consoleCode is the last code the console provider logged for a phone
// (national form) and purpose, or "".
func logCode(t *testing.T, inst *harness.Instance, phone, purpose string) string {
	t.Helper()
	var code string
	for _, line := range strings.Split(inst.Log.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil || m["msg"] != "sms.console" {
			continue
		}
		if m["phone"] == e164(phone) && m["purpose"] == purpose {
			code, _ = m["code"].(string)
		}
	}
	return code
}
