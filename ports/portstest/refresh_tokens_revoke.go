package portstest

import (
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

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
