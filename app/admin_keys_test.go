package app_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports/portstest"
)

func TestAdminKeysAuthenticate(t *testing.T) {
	store := portstest.NewAdminKeys()
	uc := app.NewAdminKeys(store, &portstest.IDs{}, portstest.NewClock(start))
	key, created, err := uc.Create(t.Context(), "ops")
	if err != nil || created.Name != "ops" || len(created.Hash) != 32 {
		t.Fatalf("create = %+v, %v", created, err)
	}
	if strings.Contains(string(created.Hash), key[strings.LastIndexByte(key, '.')+1:]) {
		t.Fatal("the secret is stored in clear")
	}
	old, _, _ := uc.Create(t.Context(), "old")
	if err := uc.Revoke(t.Context(), "old"); err != nil {
		t.Fatal(err)
	}
	id, secret, _ := strings.Cut(strings.TrimPrefix(key, "authd_admin_"), ".")
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"valid", key, nil},
		{"empty", "", domain.ErrInvalidToken},
		{"no prefix", id + "." + secret, domain.ErrInvalidToken},
		{"no secret", "authd_admin_" + id + ".", domain.ErrInvalidToken},
		{"no dot", "authd_admin_" + id, domain.ErrInvalidToken},
		{"wrong secret", "authd_admin_" + id + ".x" + secret[1:], domain.ErrInvalidToken},
		{"unknown id", "authd_admin_id-999." + secret, domain.ErrInvalidToken},
		{"revoked", old, domain.ErrInvalidToken},
		{"control characters", "authd_admin_id\x00-1." + secret, domain.ErrInvalidToken},
		{"huge", key + strings.Repeat("a", 300), domain.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := uc.Authenticate(t.Context(), tt.token)
			if !errors.Is(err, tt.want) && (tt.want != nil || err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && k.Actor() != "admin:ops" {
				t.Errorf("actor = %q", k.Actor())
			}
		})
	}
	// A database that is down is a 503, not a refused key.
	store.Err = domain.Unavailable("database", errors.New("down"))
	if _, err := uc.Authenticate(t.Context(), key); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("store down: err = %v, want unavailable", err)
	}
}

func TestAdminKeysCreateRules(t *testing.T) {
	uc := app.NewAdminKeys(portstest.NewAdminKeys(), &portstest.IDs{}, portstest.NewClock(start))
	for _, name := range []string{"", "has space", "admin:x", strings.Repeat("a", 65), "naïve"} {
		if _, _, err := uc.Create(t.Context(), name); !errors.Is(err, domain.ErrInvalidRequest) {
			t.Errorf("name %q: err = %v, want invalid request", name, err)
		}
	}
	if _, _, err := uc.Create(t.Context(), "ci"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := uc.Create(t.Context(), "ci"); !errors.Is(err, domain.ErrAdminKeyNameTaken) {
		t.Errorf("second live ci: err = %v", err)
	}
	if err := uc.Revoke(t.Context(), "nobody"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("revoke unknown: err = %v", err)
	}
}
