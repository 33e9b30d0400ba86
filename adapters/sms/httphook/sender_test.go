package httphook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/httphook"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// operator is a fake operator endpoint that checks the signature the way
// a Standard Webhooks receiver does and answers with status.
func operator(t *testing.T, status int, got *httphook.Payload) *httptest.Server {
	key, _ := httphook.DecodeSecret(secret)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, err := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
		if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute ||
			r.Header.Get("webhook-signature") != httphook.Sign(key, r.Header.Get("webhook-id"), ts, body) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if err := json.Unmarshal(body, got); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"id":"op-1"}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func message() ports.SMSMessage {
	return ports.SMSMessage{ID: "msg-1", Phone: domain.Phone{E164: "+12025550123", Region: "US"},
		Purpose: domain.PurposeLogin, Code: "123456", TTL: 5 * time.Minute, Locale: "en"}
}

func TestSendPostsASignedPayload(t *testing.T) {
	var got httphook.Payload
	srv := operator(t, http.StatusAccepted, &got)
	s, err := httphook.New(httphook.Config{URL: srv.URL, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Send(context.Background(), message())
	if err != nil || res.Provider != "http" || res.MessageID != "op-1" {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	want := httphook.Payload{ID: "msg-1", Phone: "+12025550123", Purpose: "login", Code: "123456", Locale: "en",
		TTLSeconds: 300, Text: "Your login code is 123456. It expires in 5 minutes."}
	if got != want {
		t.Errorf("payload = %+v, want %+v", got, want)
	}
}

func TestSendFailures(t *testing.T) {
	var got httphook.Payload
	wrongKey := operator(t, http.StatusOK, &got)
	down := operator(t, http.StatusServiceUnavailable, &got)
	for name, tt := range map[string]struct {
		url, secret, code string
	}{
		"wrong secret": {wrongKey.URL, "whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "http.401"},
		"5xx":          {down.URL, secret, "http.503"},
		"unreachable":  {"http://127.0.0.1:1", secret, "http.Network"},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := httphook.New(httphook.Config{URL: tt.url, Secret: tt.secret})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), message())
			se, ok := ports.AsSendError(err)
			if !ok || se.Kind != ports.SendProviderFailed || se.VendorCode != tt.code {
				t.Errorf("err = %v, want provider failure %s", err, tt.code)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []httphook.Config{{}, {URL: "ftp://x", Secret: secret}, {URL: "https://x", Secret: "nope!"},
		{URL: "https://x", Secret: secret, Timeout: -1}} {
		if err := c.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted", c)
		}
	}
}
