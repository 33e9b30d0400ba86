package portstest

import (
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestRefreshTokens is the contract every ports.RefreshTokens must pass.
// newStore returns an empty token store and a Users on the same storage:
// the suite creates the tokens' users through it (stores may enforce a
// foreign key).
func TestRefreshTokens(t *testing.T, newStore func(t *testing.T) (ports.RefreshTokens, ports.Users)) {
	setup := func(t *testing.T) (ports.RefreshTokens, string) {
		tokens, users := newStore(t)
		return tokens, mustCreate(t, users, candidate(1)).ID
	}
	t.Run("Create and Get", func(t *testing.T) {
		s, uid := setup(t)
		tok := token(uid, "fam1", 1)
		tok.UserAgent, tok.IP = "curl/8", "203.0.113.7"
		wantErr(t, "create", s.Create(ctx(t), tok), nil)
		got, err := s.Get(ctx(t), tok.Hash)
		wantErr(t, "get", err, nil)
		sameToken(t, got, tok)
		_, err = s.Get(ctx(t), hash(99))
		wantErr(t, "get unknown", err, domain.ErrNotFound)
	})
	t.Run("Rotate", func(t *testing.T) {
		s, uid := setup(t)
		old := mustToken(t, s, token(uid, "fam1", 1))
		now := contractTime.Add(time.Minute)
		next := token("", "", 2)
		got, err := s.Rotate(ctx(t), old.Hash, next, now)
		wantErr(t, "rotate", err, nil)
		if got.ID != old.ID || got.FamilyID != "fam1" || got.UserID != uid {
			t.Fatalf("rotate returned %+v, want the old token", got)
		}
		stored, _ := s.Get(ctx(t), old.Hash)
		sameTime(t, "old RotatedAt", stored.RotatedAt, now)
		n, err := s.Get(ctx(t), next.Hash)
		wantErr(t, "get next", err, nil)
		if n.FamilyID != "fam1" || n.UserID != uid || !n.RotatedAt.IsZero() || !n.RevokedAt.IsZero() {
			t.Fatalf("next token = %+v, want live in fam1 of %s", n, uid)
		}
		_, err = s.Rotate(ctx(t), next.Hash, token("", "", 3), now.Add(time.Minute))
		wantErr(t, "rotate next", err, nil)
	})
	t.Run("Rotate refuses", func(t *testing.T) { testRotateRefuses(t, setup) })
	t.Run("reuse revokes family", func(t *testing.T) {
		s, uid := setup(t)
		a := mustToken(t, s, token(uid, "fam1", 1))
		mustToken(t, s, token(uid, "fam2", 9))
		now := contractTime.Add(time.Minute)
		_, err := s.Rotate(ctx(t), a.Hash, token("", "", 2), now)
		wantErr(t, "rotate", err, nil)
		_, err = s.Rotate(ctx(t), a.Hash, token("", "", 3), now)
		wantErr(t, "reuse", err, domain.ErrInvalidToken)
		wantRevoked(t, s, map[int]bool{1: true, 2: true, 9: false})
		_, err = s.Rotate(ctx(t), hash(2), token("", "", 4), now)
		wantErr(t, "rotate revoked successor", err, domain.ErrInvalidToken)
		if _, err := s.Get(ctx(t), hash(3)); err == nil {
			t.Error("a refused rotation stored its next token")
		}
	})
	t.Run("concurrent Rotate", func(t *testing.T) {
		s, uid := setup(t)
		old := mustToken(t, s, token(uid, "fam1", 1))
		var wins atomic.Int32
		errs := concurrently(20, func(i int) error {
			_, err := s.Rotate(ctx(t), old.Hash, token("", "", 100+i), contractTime.Add(time.Minute))
			if err == nil {
				wins.Add(1)
			}
			return err
		})
		for i, err := range errs {
			if err != nil {
				wantErr(t, fmt.Sprintf("rotation %d", i), err, domain.ErrInvalidToken)
			}
		}
		if wins.Load() != 1 {
			t.Fatalf("%d rotations won, want exactly 1", wins.Load())
		}
	})
	t.Run("RevokeFamily and RevokeUser", func(t *testing.T) { testRevoke(t, newStore) })
}

// token returns a live token numbered n, created at contractTime for a day.
func token(userID, family string, n int) domain.RefreshToken {
	return domain.RefreshToken{ID: testID('t', n), UserID: userID, FamilyID: family, Hash: hash(n),
		CreatedAt: contractTime, ExpiresAt: contractTime.Add(24 * time.Hour)}
}

func hash(n int) []byte {
	h := sha256.Sum256([]byte(fmt.Sprint("refresh-", n)))
	return h[:]
}

func mustToken(t *testing.T, s ports.RefreshTokens, tok domain.RefreshToken) domain.RefreshToken {
	t.Helper()
	if err := s.Create(ctx(t), tok); err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok
}

func sameToken(t *testing.T, got, want domain.RefreshToken) {
	t.Helper()
	if got.ID != want.ID || got.UserID != want.UserID || got.FamilyID != want.FamilyID ||
		string(got.Hash) != string(want.Hash) || got.UserAgent != want.UserAgent || got.IP != want.IP {
		t.Errorf("token = %+v, want %+v", got, want)
	}
	sameTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	sameTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	sameTime(t, "RotatedAt", got.RotatedAt, want.RotatedAt)
	sameTime(t, "RevokedAt", got.RevokedAt, want.RevokedAt)
}

// wantRevoked checks, by token number, which tokens are revoked.
func wantRevoked(t *testing.T, s ports.RefreshTokens, want map[int]bool) {
	t.Helper()
	for n, revoked := range want {
		got, err := s.Get(ctx(t), hash(n))
		if err != nil {
			t.Fatalf("get token %d: %v", n, err)
		}
		if !got.RevokedAt.IsZero() != revoked {
			t.Errorf("token %d revoked = %v, want %v", n, !got.RevokedAt.IsZero(), revoked)
		}
	}
}

func testRotateRefuses(t *testing.T, setup func(t *testing.T) (ports.RefreshTokens, string)) {
	s, uid := setup(t)
	live := mustToken(t, s, token(uid, "fam1", 1))
	revoked := mustToken(t, s, token(uid, "fam2", 2))
	wantErr(t, "revoke", s.RevokeFamily(ctx(t), "fam2", contractTime), nil)
	tests := []struct {
		name string
		hash []byte
		now  time.Time
	}{
		{"unknown", hash(99), contractTime},
		{"expired", live.Hash, live.ExpiresAt},
		{"long expired", live.Hash, live.ExpiresAt.Add(time.Hour)},
		{"revoked", revoked.Hash, contractTime},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Rotate(ctx(t), tt.hash, token("", "", 50+i), tt.now)
			wantErr(t, "rotate", err, domain.ErrInvalidToken)
			if _, err := s.Get(ctx(t), hash(50+i)); err == nil {
				t.Error("refused rotation stored its next token")
			}
		})
	}
	if got, _ := s.Get(ctx(t), live.Hash); !got.RotatedAt.IsZero() {
		t.Error("an expired rotation retired the token")
	}
}

func testRevoke(t *testing.T, newStore func(t *testing.T) (ports.RefreshTokens, ports.Users)) {
	s, users := newStore(t)
	u1 := mustCreate(t, users, candidate(1)).ID
	u2 := mustCreate(t, users, candidate(2)).ID
	mustToken(t, s, token(u1, "a", 1))
	mustToken(t, s, token(u1, "a", 2))
	mustToken(t, s, token(u1, "b", 3))
	mustToken(t, s, token(u1, "c", 4))
	mustToken(t, s, token(u2, "d", 5))
	at := contractTime.Add(time.Hour)

	wantErr(t, "RevokeFamily", s.RevokeFamily(ctx(t), "a", at), nil)
	wantRevoked(t, s, map[int]bool{1: true, 2: true, 3: false, 4: false, 5: false})
	if got, _ := s.Get(ctx(t), hash(1)); !got.RevokedAt.Equal(at) {
		t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, at)
	}
	wantErr(t, "RevokeUser keep c", s.RevokeUser(ctx(t), u1, "c", at), nil)
	wantRevoked(t, s, map[int]bool{3: true, 4: false, 5: false})
	wantErr(t, "RevokeUser all", s.RevokeUser(ctx(t), u1, "", at), nil)
	wantRevoked(t, s, map[int]bool{4: true, 5: false})
	wantErr(t, "RevokeFamily unknown", s.RevokeFamily(ctx(t), "zzz", at), nil)
}
