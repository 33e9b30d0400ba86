package portstest

import (
	"bytes"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func adminKey(n int, name string) domain.AdminKey {
	return domain.AdminKey{ID: testID('k', n), Name: name, Hash: bytes.Repeat([]byte{byte(n)}, 32),
		CreatedAt: contractTime.Add(time.Duration(n) * time.Second)}
}

// TestAdminKeys is the contract every ports.AdminKeys must pass.
func TestAdminKeys(t *testing.T, newStore func(t *testing.T) ports.AdminKeys) {
	t.Run("create, find by id, list oldest first", func(t *testing.T) {
		s := newStore(t)
		wantErr(t, "create ops", s.CreateAdminKey(ctx(t), adminKey(1, "ops")), nil)
		wantErr(t, "create ci", s.CreateAdminKey(ctx(t), adminKey(2, "ci")), nil)
		k, err := s.AdminKeyByID(ctx(t), testID('k', 1))
		wantErr(t, "by id", err, nil)
		if k.Name != "ops" || !bytes.Equal(k.Hash, adminKey(1, "ops").Hash) || !k.Live() {
			t.Fatalf("key = %+v", k)
		}
		sameTime(t, "created_at", k.CreatedAt, adminKey(1, "").CreatedAt)
		all, err := s.ListAdminKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if len(all) != 2 || all[0].Name != "ops" || all[1].Name != "ci" {
			t.Fatalf("list = %+v", all)
		}
		_, err = s.AdminKeyByID(ctx(t), testID('k', 9))
		wantErr(t, "unknown id", err, domain.ErrNotFound)
	})
	t.Run("a live name is unique; revoked names can be reused", func(t *testing.T) {
		s := newStore(t)
		wantErr(t, "create", s.CreateAdminKey(ctx(t), adminKey(1, "ops")), nil)
		wantErr(t, "second live", s.CreateAdminKey(ctx(t), adminKey(2, "ops")), domain.ErrAdminKeyNameTaken)
		wantErr(t, "revoke", s.RevokeAdminKey(ctx(t), "ops", contractTime.Add(time.Hour)), nil)
		k, err := s.AdminKeyByID(ctx(t), testID('k', 1))
		wantErr(t, "by id", err, nil)
		if k.Live() {
			t.Fatal("revoked key is live")
		}
		sameTime(t, "revoked_at", k.RevokedAt, contractTime.Add(time.Hour))
		wantErr(t, "revoke again", s.RevokeAdminKey(ctx(t), "ops", contractTime), domain.ErrNotFound)
		wantErr(t, "new key, old name", s.CreateAdminKey(ctx(t), adminKey(3, "ops")), nil)
		all, err := s.ListAdminKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if len(all) != 2 {
			t.Fatalf("list = %d keys, want 2 (revoked ones stay listed)", len(all))
		}
	})
	t.Run("revoke unknown name", func(t *testing.T) {
		wantErr(t, "revoke", newStore(t).RevokeAdminKey(ctx(t), "nobody", contractTime), domain.ErrNotFound)
	})
}
