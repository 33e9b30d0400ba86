package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseConsoleLine(t *testing.T) {
	tests := []struct {
		line                 string
		phone, purpose, code string
		ok                   bool
	}{
		{`{"time":"2026-01-01T00:00:00Z","level":"INFO","msg":"sms.console","phone":"+8613900000001","purpose":"login","code":"123456","message_id":"m1","ttl_seconds":300}`,
			"+8613900000001", "login", "123456", true},
		{`{"msg": "sms.console", "phone": "+8613900000002", "purpose": "reset_password", "code": "000042"}`,
			"+8613900000002", "reset_password", "000042", true},
		{`{"level":"WARN","msg":"request failed","phone":"+8613900000001"}`, "", "", "", false},
		{`{"msg":"sms.console","phone":"+8613900000001","purpose":"login"}`, "", "", "", false},
		{`not json at all`, "", "", "", false},
		{``, "", "", "", false},
	}
	for _, tt := range tests {
		phone, purpose, code, ok := parseConsoleLine([]byte(tt.line))
		if ok != tt.ok || (ok && (phone != tt.phone || purpose != tt.purpose || code != tt.code)) {
			t.Errorf("parseConsoleLine(%s) = %q %q %q %v", tt.line, phone, purpose, code, ok)
		}
	}
}

func TestJSONString(t *testing.T) {
	body := []byte(`{"access_token":"a.b.c","token_type":"Bearer","expires_in":900,"refresh_token":"xyz_-","user":{"refresh":1}}`)
	if v, ok := jsonString(body, "refresh_token"); !ok || v != "xyz_-" {
		t.Fatalf("refresh_token = %q %v", v, ok)
	}
	if _, ok := jsonString(body, "expires_in"); ok {
		t.Fatal("a number is not a string")
	}
	if _, ok := jsonString([]byte(`{"a":"x\"y"}`), "a"); ok {
		t.Fatal("escaped values are refused")
	}
	// A key first seen with a non-string value is looked for further on.
	if v, ok := jsonString([]byte(`{"code":1,"x":{"code":"12"}}`), "code"); !ok || v != "12" {
		t.Fatalf("second code = %q %v", v, ok)
	}
}

func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{fn: func(l []byte) { got = append(got, string(l)) }}
	for _, chunk := range []string{"one\ntw", "o\n", "", "three", "\nfour\nfi"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if strings.Join(got, "|") != "one|two|three|four" {
		t.Fatalf("lines %q", got)
	}
}

func TestCodebook(t *testing.T) {
	b := newCodebook()
	ctx := context.Background()
	b.line([]byte(`{"msg":"sms.console","phone":"+8613900000001","purpose":"login","code":"111111"}`))
	b.line([]byte(`{"msg":"sms.console","phone":"+8613900000001","purpose":"login","code":"222222"}`))
	b.line([]byte(`{"msg":"sms.console","phone":"+8613900000003","purpose":"reset_password","code":"333333"}`))
	if code, err := b.take(ctx, "+8613900000001", time.Second); err != nil || code != "222222" {
		t.Fatalf("take = %q, %v; want the latest code", code, err)
	}
	if _, err := b.take(ctx, "+8613900000001", 10*time.Millisecond); !errors.Is(err, errNoCode) {
		t.Fatalf("a taken code is gone, got %v", err)
	}
	if _, err := b.take(ctx, "+8613900000003", 10*time.Millisecond); !errors.Is(err, errNoCode) {
		t.Fatalf("reset codes are not login codes, got %v", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		b.put("+8613900000002", "444444")
	}()
	if code, err := b.take(ctx, "+8613900000002", 5*time.Second); err != nil || code != "444444" {
		t.Fatalf("waiting take = %q, %v", code, err)
	}
}
