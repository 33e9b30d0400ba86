package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// envValue reads one variable of the stub's authd configuration.
func envValue(env []string, key string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

// senderFor builds authd's real sender from the configuration the stub
// gives authd, so the test checks the stub against the SDK as the bench
// uses it.
func senderFor(t *testing.T, s *vendorStub) ports.SMS {
	t.Helper()
	env := s.env()
	if s.vendor == smsAliyun {
		p := "AUTHD_SMS_ALIYUN_"
		snd, err := aliyun.New(aliyun.Config{AccessKeyID: envValue(env, p+"ACCESS_KEY_ID"),
			AccessKeySecret: envValue(env, p+"ACCESS_KEY_SECRET"), SignName: envValue(env, p+"SIGN_NAME"),
			Endpoint: envValue(env, p+"ENDPOINT"), TemplateLogin: envValue(env, p+"TEMPLATE_LOGIN"),
			TemplateResetPassword: envValue(env, p+"TEMPLATE_RESET_PASSWORD"), TemplateInitialPassword: envValue(env, p+"TEMPLATE_INITIAL_PASSWORD")})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(snd.Close)
		return snd
	}
	p := "AUTHD_SMS_TENCENT_"
	snd, err := tencent.New(tencent.Config{SecretID: envValue(env, p+"SECRET_ID"), SecretKey: envValue(env, p+"SECRET_KEY"),
		SDKAppID: envValue(env, p+"SDK_APP_ID"), SignName: envValue(env, p+"SIGN_NAME"), Endpoint: envValue(env, p+"ENDPOINT"),
		TemplateLogin: envValue(env, p+"TEMPLATE_LOGIN"), TemplateResetPassword: envValue(env, p+"TEMPLATE_RESET_PASSWORD"),
		TemplateInitialPassword: envValue(env, p+"TEMPLATE_INITIAL_PASSWORD")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(snd.Close)
	return snd
}

// TestVendorStub sends through authd's real Tencent and Aliyun senders to
// the stub at the bench's concurrency: every send succeeds, login codes
// (and only those) reach the codebook under the E.164 number, and the
// sender keeps its connections: about one per concurrent send (1,024 sends
// opened 646 with the default pool of two idle connections per host).
func TestVendorStub(t *testing.T) {
	const workers, rounds = 32, 32
	for _, vendor := range []string{smsTencent, smsAliyun} {
		t.Run(vendor, func(t *testing.T) {
			codes := newCodebook()
			stub, err := startVendorStub(vendor, codes)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = stub.stop() })
			snd := senderFor(t, stub)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, workers*rounds)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range rounds {
						phone := fmt.Sprintf("+86139%04d%04d", w, i)
						purpose := domain.PurposeLogin
						if i == 0 {
							purpose = domain.PurposeResetPassword
						}
						_, err := snd.Send(ctx, ports.SMSMessage{ID: fmt.Sprintf("m-%d-%d", w, i), Phone: domain.Phone{E164: phone},
							Purpose: purpose, Code: fmt.Sprintf("%06d", w*100+i), TTL: 5 * time.Minute})
						if err != nil {
							errs <- err
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("send: %v", err)
			}
			got := stub.counts()
			if got.sends != workers*rounds {
				t.Errorf("stub saw %d sends, want %d", got.sends, workers*rounds)
			}
			// A few more than the concurrency: while the first sends are in
			// flight, a new one dials rather than wait for a connection.
			if got.conns > 2*workers {
				t.Errorf("%d connections for %d sends at %d at once: the sender does not keep its connections", got.conns, got.sends, workers)
			}
			if code, err := codes.take(ctx, "+8613900050003", time.Second); err != nil || code != "000503" {
				t.Errorf("login code = %q, %v; want 000503", code, err)
			}
			if _, err := codes.take(ctx, "+8613900050000", 10*time.Millisecond); err == nil {
				t.Errorf("a reset code reached the codebook")
			}
		})
	}
}

func TestAliyunE164(t *testing.T) {
	for in, want := range map[string]string{"13900000000": "+8613900000000", "85291234567": "+85291234567"} {
		if got := aliyunE164(in); got != want {
			t.Errorf("aliyunE164(%q) = %q, want %q", in, got, want)
		}
	}
}
