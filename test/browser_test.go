package test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authd/authd/examples/web"
	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// TestBrowserDemo drives examples/web in headless chromium from its own
// origin: ask for a code, read it from the admin listener's console
// messages, log in, show /v1/me, refresh, log out. The same page served
// from an origin not in AUTHD_CORS_ALLOWED_ORIGINS must be refused by the
// browser itself (the preflight gets no Access-Control-* header).
func TestBrowserDemo(t *testing.T) {
	tab := services.Chromium(t, 90*time.Second)

	allowed := httptest.NewServer(web.Handler(nil))
	defer allowed.Close()
	other := httptest.NewServer(web.Handler(nil)) // another port: another origin
	defer other.Close()
	inst := harness.Start(t, harness.Options{RealSMS: true, FastPasswords: true, Env: map[string]string{
		"AUTHD_CORS_ALLOWED_ORIGINS": allowed.URL,
	}})
	admin := inst.AdminClient(t)
	api := url.QueryEscape(inst.URL)

	phone := "13800135001"
	err := chromedp.Do(tab,
		chromedp.Navigate(allowed.URL+"/?api="+api),
		chromedp.WaitVisible(chromedp.CSS("#send")),
		chromedp.SetValue(chromedp.CSS("#phone"), phone),
		chromedp.Click(chromedp.CSS("#send")),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, tab, "code sent to +86"+phone)

	code := outboxCode(t, admin, phone)
	if err := chromedp.Do(tab,
		chromedp.SetValue(chromedp.CSS("#code"), code),
		chromedp.Click(chromedp.CSS("#login")),
	); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, tab, "logged in (new account)")
	me := waitText(t, tab, "#me", `"phone": "+86`+phone+`"`)
	var profile map[string]any
	if err := json.Unmarshal([]byte(me), &profile); err != nil || profile["id"] == "" {
		t.Fatalf("#me is not the profile: %q (%v)", me, err)
	}

	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#refresh"))); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, tab, "refreshed")
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#logout"))); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, tab, "logged out")

	// A page on another origin: the browser sends the preflight, gets no
	// Access-Control-Allow-Origin, and never sends the POST.
	blocked := "13800135002"
	if err := chromedp.Do(tab,
		chromedp.Navigate(other.URL+"/?api="+api),
		chromedp.WaitVisible(chromedp.CSS("#send")),
		chromedp.SetValue(chromedp.CSS("#phone"), blocked),
		chromedp.Click(chromedp.CSS("#send")),
	); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, tab, "error: network error")
	if msgs := consoleMessages(t, admin, blocked); len(msgs) != 0 {
		t.Fatalf("a page on %s got a code sent: %v", other.URL, msgs)
	}
}

// waitStatus waits until the page's #status starts with want.
func waitStatus(t *testing.T, tab context.Context, want string) {
	t.Helper()
	got := waitText(t, tab, "#status", want)
	if !strings.HasPrefix(got, want) {
		t.Fatalf("#status = %q, want it to start with %q", got, want)
	}
}

// waitText polls an element's text until it contains want (10 s at most).
func waitText(t *testing.T, tab context.Context, sel, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		var err error
		got, err = chromedp.Run(tab, chromedp.TextContent(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		if strings.Contains(got, want) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s = %q, want %q", sel, got, want)
	return ""
}

// consoleMessages reads the console provider's messages for a phone from
// the admin listener, as the README's curl flow does.
func consoleMessages(t *testing.T, admin *harness.Client, phone string) []map[string]any {
	t.Helper()
	r := admin.Get("/console/messages?phone=" + url.QueryEscape(phone))
	if r.Status != http.StatusOK {
		t.Fatalf("/console/messages: %d %s", r.Status, r.Raw)
	}
	var body struct {
		Messages []map[string]any `json:"messages"`
	}
	if err := json.Unmarshal(r.Raw, &body); err != nil {
		t.Fatal(err)
	}
	return body.Messages
}

func outboxCode(t *testing.T, admin *harness.Client, phone string) string {
	t.Helper()
	msgs := consoleMessages(t, admin, phone)
	if len(msgs) == 0 {
		t.Fatalf("no console message for %s", phone)
	}
	code, _ := msgs[0]["code"].(string)
	return code
}
