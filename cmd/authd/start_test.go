package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A start that fails prints one line saying what failed and exits 1; it
// used to exit 1 printing nothing (fx reported through a silent logger).
func TestServeStartFailuresSayWhy(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		want []string
	}{
		{"busy public port", []string{"AUTHD_HTTP_ADDR=" + busy.Addr().String(), "AUTHD_ADMIN_ADDR=127.0.0.1:0"},
			[]string{"AUTHD_HTTP_ADDR " + busy.Addr().String(), "address already in use"}},
		{"busy admin port", []string{"AUTHD_HTTP_ADDR=127.0.0.1:0", "AUTHD_ADMIN_ADDR=" + busy.Addr().String()},
			[]string{"AUTHD_ADMIN_ADDR " + busy.Addr().String(), "address already in use"}},
		// With the code secret given, the data dir is first written by the
		// key and the database, inside fx.
		{"unwritable data dir", []string{"AUTHD_HTTP_ADDR=127.0.0.1:0", "AUTHD_ADMIN_ADDR=127.0.0.1:0",
			"AUTHD_DATA_DIR=" + filepath.Join(file, "data"), "AUTHD_CODE_SECRET=0123456789abcdef0123456789abcdef"},
			[]string{file, "not a directory"}},
		{"unwritable data dir, generated secret", []string{"AUTHD_HTTP_ADDR=127.0.0.1:0", "AUTHD_ADMIN_ADDR=127.0.0.1:0",
			"AUTHD_DATA_DIR=" + filepath.Join(file, "data")},
			[]string{"AUTHD_DATA_DIR", "not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"AUTHD_DATA_DIR=" + t.TempDir(), "AUTHD_LOG_LEVEL=error"}, tt.env...)
			var out, errOut bytes.Buffer
			code := run(t.Context(), []string{"serve"}, env, &out, &errOut)
			msg := errOut.String()
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr %q", code, msg)
			}
			if strings.Count(strings.TrimRight(msg, "\n"), "\n") != 0 || !strings.HasPrefix(msg, "authd: ") {
				t.Errorf("want one line, got %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), args, []string{"AUTHD_DATA_DIR=" + t.TempDir()}, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut.String())
		}
		text := out.String() + errOut.String()
		for _, cmd := range []string{"serve", "migrate", "users disable|enable", "sms test-send", "keys generate", "config", "help"} {
			if !strings.Contains(text, cmd) {
				t.Errorf("%v does not list %q:\n%s", args, cmd, text)
			}
		}
	}
}
