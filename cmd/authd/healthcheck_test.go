package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestHealthzURL(t *testing.T) {
	tests := []struct {
		listen, want, err string
	}{
		{":8080", "http://127.0.0.1:8080/healthz", ""},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/healthz", ""},
		{"[::]:8080", "http://127.0.0.1:8080/healthz", ""},
		{"127.0.0.1:8080", "http://127.0.0.1:8080/healthz", ""},
		{"[::1]:8080", "http://[::1]:8080/healthz", ""},
		{"10.1.2.3:80", "http://10.1.2.3:80/healthz", ""},
		{"8080", "", "AUTHD_HTTP_ADDR"},
		{"127.0.0.1:0", "", "no fixed port"},
	}
	for _, tt := range tests {
		got, err := healthzURL(tt.listen)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("healthzURL(%q) = %q, %v; want %q, error containing %q", tt.listen, got, err, tt.want, tt.err)
		}
	}
}

func TestHealthcheckExitCodes(t *testing.T) {
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	// A port nothing listens on: bind one and close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, closedPort, _ := net.SplitHostPort(l.Addr().String())
	l.Close()

	tests := []struct {
		name   string
		addr   string
		status int
		args   []string
		exit   int
		stderr string
	}{
		{"healthy, wildcard listen address", ":" + port, http.StatusOK, nil, 0, ""},
		{"unhealthy", "127.0.0.1:" + port, http.StatusServiceUnavailable, nil, 1, "status 503"},
		{"nothing listening", "127.0.0.1:" + closedPort, http.StatusOK, nil, 1, "connection refused"},
		{"stray argument", ":" + port, http.StatusOK, []string{"now"}, 2, "usage: authd healthcheck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status.Store(int32(tt.status))
			var out, errOut bytes.Buffer
			env := []string{"AUTHD_HTTP_ADDR=" + tt.addr, "AUTHD_DATA_DIR=" + t.TempDir()}
			code := run(t.Context(), append([]string{"healthcheck"}, tt.args...), env, &out, &errOut)
			if code != tt.exit || !strings.Contains(errOut.String(), tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tt.exit, tt.stderr)
			}
		})
	}
}

func TestHelpListsEveryCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"help"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("help: exit %d, %q", code, errOut.String())
	}
	for _, name := range []string{"serve", "migrate", "users", "sms test-send", "keys generate", "config", "healthcheck"} {
		if !strings.Contains(out.String(), "  "+name) {
			t.Errorf("help does not list %q:\n%s", name, out.String())
		}
	}
}
