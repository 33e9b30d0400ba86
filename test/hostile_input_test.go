package test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

// Bytes the databases refuse (NUL, invalid UTF-8) in what clients send are
// answered like any other bad input, never with a 500, and never after a
// code was spent.
func TestHostileBytesNeverReachTheDatabase(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)

		// (encoding/json turns invalid UTF-8 in a body into U+FFFD, so
		// bodies carry NUL and control characters; headers carry the rest.)
		for _, login := range []string{"\x00", "al\x00ice", "bob\x01", strings.Repeat("a", 60000)} {
			r := c.Post("/v1/sessions/password", map[string]string{"login": login, "password": "whatever-123"})
			wantProblem(t, r, 401, "invalid_credentials")
		}
		s := login(t, inst, c, newPhone())
		for _, email := range []string{"a\x00@example.com", "a\x7f@example.com"} {
			r := c.Do("PATCH", "/v1/me", map[string]string{"email": email}, bearer(s))
			wantProblem(t, r, 400, "invalid_email")
		}
		r := c.Do("PATCH", "/v1/me", map[string]string{"icon": "https://example.com/\x00.png"}, bearer(s))
		wantProblem(t, r, 400, "invalid_request")

		// A User-Agent with invalid UTF-8 (Postgres refuses it) on a login.
		phone := newPhone()
		code := requestCode(t, inst, c, phone, "")
		r = c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}, "User-Agent: app/1.0 \xff\xfe")
		if r.Status != 201 {
			t.Fatalf("login with an invalid UTF-8 User-Agent: %d %s", r.Status, r.Raw)
		}
		// A NUL in the User-Agent (SQLite refuses it); net/http will not send
		// one, so write the request by hand. fasthttp since v1.5x refuses a
		// NUL in a header value (400) before routing; either way no 500.
		phone = newPhone()
		code = requestCode(t, inst, c, phone, "")
		body := fmt.Sprintf(`{"phone":%q,"code":%q}`, phone, code)
		status := rawPost(t, inst.URL, "/v1/sessions/sms", "app\x00evil", body)
		if status != 201 && status != 400 {
			t.Fatalf("login with a NUL in the User-Agent: %d", status)
		}
	})
}

func rawPost(t *testing.T, base, path, userAgent, body string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: authd\r\nUser-Agent: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		path, userAgent, len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
