package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/jwttokens"
)

// TestKeysRotateAndList runs the operator commands on the embedded
// database: a rotation before the first start imports the data dir's key
// as generation 1 (so it is not orphaned) and adds generation 2, which list
// shows as next until its activation.
func TestKeysRotateAndList(t *testing.T) {
	dir := t.TempDir()
	pem, err := jwttokens.GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "jwt-ed25519.pem"), pem, 0o600); err != nil {
		t.Fatal(err)
	}
	legacy, err := jwttokens.New(jwttokens.Config{DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"AUTHD_DATA_DIR=" + dir, "AUTHD_JWT_KEY_POLL_INTERVAL=1s"}
	cmd := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(t.Context(), args, env, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, out, errOut := cmd("migrate"); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if code, out, _ := cmd("keys", "list"); code != 0 || !strings.Contains(out, "no signing keys yet") {
		t.Fatalf("list on an empty table: %d %q", code, out)
	}
	code, out, errOut := cmd("keys", "rotate")
	if code != 0 || !strings.Contains(out, "generation 2, kid ") {
		t.Fatalf("rotate: %d %q %q", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "1    "+legacy.KeyID()+"  signing") ||
		!strings.HasPrefix(lines[2], "2    ") || !strings.Contains(lines[2], "next") || !strings.Contains(lines[2], "signs from") {
		t.Fatalf("rotate output:\n%s", out)
	}
	// -activate-after 0: the new key signs at once; the old one is retired.
	if code, out, errOut := cmd("keys", "rotate", "-activate-after", "0s"); code != 0 || !strings.Contains(out, "generation 3") {
		t.Fatalf("rotate now: %d %q %q", code, out, errOut)
	}
	code, out, _ = cmd("keys", "list")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[0], "retired") || !strings.Contains(lines[0], "published until") ||
		!strings.Contains(lines[1], "retired") || !strings.Contains(lines[2], "signing") {
		t.Fatalf("list after two rotations: %d\n%s", code, out)
	}
}

func TestKeysErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		env  []string
		exit int
		want string
	}{
		{[]string{"keys"}, nil, 2, "usage: authd keys"},
		{[]string{"keys", "revoke"}, nil, 2, "usage: authd keys"},
		{[]string{"keys", "list", "extra"}, nil, 2, "usage: authd keys"},
		{[]string{"keys", "list", "-activate-after", "1s"}, nil, 2, "usage: authd keys"},
		{[]string{"keys", "rotate", "-activate-after", "soon"}, nil, 2, "usage: authd keys"},
		{[]string{"keys", "rotate", "-activate-after", "-1s"}, nil, 2, "must not be negative"},
		{[]string{"keys", "rotate"}, []string{"AUTHD_JWT_KEY_FILE=/etc/authd/key.pem"}, 1, "AUTHD_JWT_KEY_FILE"},
		{[]string{"keys", "rotate"}, []string{"AUTHD_JWT_KEY_ENCRYPTION_KEY=short"}, 1, "AUTHD_JWT_KEY_ENCRYPTION_KEY"},
		{[]string{"keys", "rotate"}, nil, 1, "migrate"}, // no schema yet
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		env := append([]string{"AUTHD_DATA_DIR=" + dir}, tt.env...)
		if code := run(t.Context(), tt.args, env, &out, &errOut); code != tt.exit || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want %d and %q", tt.args, tt.env, code, errOut.String(), tt.exit, tt.want)
		}
	}
}
