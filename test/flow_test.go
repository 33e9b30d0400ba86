package test

import (
	"testing"

	"github.com/authd/authd/test/harness"
)

// requestCode asks for a code and returns the one the fake SMS received.
func requestCode(t *testing.T, inst *harness.Instance, c *harness.Client, phone, purpose string) string {
	t.Helper()
	body := map[string]string{"phone": phone}
	if purpose != "" {
		body["purpose"] = purpose
	}
	r := c.Post("/v1/sms/codes", body)
	if r.Status != 202 {
		t.Fatalf("request code: %d %s", r.Status, r.Raw)
	}
	inst.Settle(t)
	msg, ok := inst.SMS.Last(r.Str("phone"))
	if !ok {
		t.Fatalf("no SMS sent to %s", r.Str("phone"))
	}
	return msg.Code
}

// login registers or logs in phone by SMS and returns the session body.
func login(t *testing.T, inst *harness.Instance, c *harness.Client, phone string) harness.Response {
	t.Helper()
	code := requestCode(t, inst, c, phone, "")
	r := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code})
	if r.Status != 200 && r.Status != 201 {
		t.Fatalf("login: %d %s", r.Status, r.Raw)
	}
	return r
}

// bearer is the Authorization header for a session's access token.
func bearer(s harness.Response) string { return "Authorization: Bearer " + s.Str("access_token") }

// wantProblem asserts an error response's status, code and problem shape.
func wantProblem(t *testing.T, r harness.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.Code() != code {
		t.Fatalf("want %d %s, got %d %s", status, code, r.Status, r.Raw)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json", ct)
	}
	if r.Str("request_id") == "" || r.Str("request_id") != r.Header.Get("X-Request-ID") {
		t.Errorf("request_id %q does not match X-Request-ID %q", r.Str("request_id"), r.Header.Get("X-Request-ID"))
	}
	if r.Str("type") == "" || r.Str("title") == "" || int(r.JSON["status"].(float64)) != status {
		t.Errorf("incomplete problem: %s", r.Raw)
	}
}
