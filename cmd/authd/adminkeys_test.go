package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/app"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
)

// cli runs authd with an embedded database under dir.
func cli(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, []string{"AUTHD_DATA_DIR=" + dir}, &out, &errOut)
	return out.String() + errOut.String(), code
}

func TestAdminKeysCommand(t *testing.T) {
	dir := t.TempDir()
	if out, code := cli(t, dir, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, out)
	}
	key, code := cli(t, dir, "admin-keys", "create", "--name", "ops")
	key = strings.TrimSpace(key)
	if code != 0 || !strings.HasPrefix(key, "authd_admin_") {
		t.Fatalf("create: %d %q", code, key)
	}
	if out, code := cli(t, dir, "admin-keys", "create", "--name", "ops"); code != 1 || !strings.Contains(out, "exists") {
		t.Errorf("second live key of one name: %d %q", code, out)
	}
	st, err := openStore(t.Context(), settingsFor(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	uc := app.NewAdminKeys(st, system.NewIDs(), system.NewClock())
	if k, err := uc.Authenticate(t.Context(), key); err != nil || k.Name != "ops" {
		t.Fatalf("the printed key does not authenticate: %+v %v", k, err)
	}
	if out, code := cli(t, dir, "admin-keys", "list"); code != 0 || !strings.Contains(out, "ops") || strings.Contains(out, key) {
		t.Errorf("list: %d %q", code, out)
	}
	if out, code := cli(t, dir, "admin-keys", "revoke", "ops"); code != 0 {
		t.Fatalf("revoke: %d %q", code, out)
	}
	if _, err := uc.Authenticate(t.Context(), key); !errors.Is(err, domain.ErrInvalidToken) {
		t.Errorf("revoked key: err = %v, want invalid token", err)
	}
	for _, args := range [][]string{{"admin-keys"}, {"admin-keys", "create"}, {"admin-keys", "revoke"}, {"admin-keys", "frob"}} {
		if _, code := cli(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func settingsFor(t *testing.T, dir string) wiring.Settings {
	t.Helper()
	s, err := wiring.LoadSettings("", []string{"AUTHD_DATA_DIR=" + dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
