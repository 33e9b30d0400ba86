package portstest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/ports"
)

// signingKey is a stored key of generation g with recognisable bytes.
func signingKey(g int64) ports.SigningKey {
	return ports.SigningKey{
		ID:               fmt.Sprintf("kid-%d", g),
		Generation:       g,
		Algorithm:        "EdDSA",
		PublicKey:        bytes.Repeat([]byte{byte(g)}, 32),
		SealedPrivateKey: append([]byte{0, 1, 2}, bytes.Repeat([]byte{byte(g + 100)}, 60)...),
		CreatedAt:        contractTime.Add(time.Duration(g) * time.Hour),
		ActiveFrom:       contractTime.Add(time.Duration(g)*time.Hour + 25*time.Second),
	}
}

// TestSigningKeys is the contract every ports.SigningKeys must pass: keys
// come back byte for byte in generation order, a taken generation or id is
// refused without storing anything, of concurrent adds of one generation
// exactly one wins, and deletion is idempotent.
func TestSigningKeys(t *testing.T, newStore func(t *testing.T) ports.SigningKeys) {
	t.Run("EmptyAtFirst", func(t *testing.T) {
		keys, err := newStore(t).ListSigningKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if len(keys) != 0 {
			t.Fatalf("new store has %d keys", len(keys))
		}
	})

	t.Run("RoundTripInGenerationOrder", func(t *testing.T) {
		s := newStore(t)
		for _, g := range []int64{2, 1, 3} { // added out of order
			wantErr(t, fmt.Sprint("add ", g), s.AddSigningKey(ctx(t), signingKey(g)), nil)
		}
		keys, err := s.ListSigningKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if len(keys) != 3 {
			t.Fatalf("%d keys, want 3", len(keys))
		}
		for i, k := range keys {
			want := signingKey(int64(i + 1))
			if k.ID != want.ID || k.Generation != want.Generation || k.Algorithm != want.Algorithm ||
				!bytes.Equal(k.PublicKey, want.PublicKey) || !bytes.Equal(k.SealedPrivateKey, want.SealedPrivateKey) {
				t.Errorf("key %d = %+v, want %+v", i, k, want)
			}
			sameTime(t, "created_at", k.CreatedAt, want.CreatedAt)
			sameTime(t, "active_from", k.ActiveFrom, want.ActiveFrom)
		}
	})

	tests := []struct {
		name string
		dup  func(k ports.SigningKey) ports.SigningKey
	}{
		{"SameGenerationRefused", func(k ports.SigningKey) ports.SigningKey { k.ID = "kid-other"; return k }},
		{"SameIDRefused", func(k ports.SigningKey) ports.SigningKey { k.Generation = 9; return k }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			first := signingKey(1)
			wantErr(t, "add", s.AddSigningKey(ctx(t), first), nil)
			dup := tt.dup(first)
			dup.PublicKey = []byte("other")
			wantErr(t, "add duplicate", s.AddSigningKey(ctx(t), dup), ports.ErrSigningKeyTaken)
			keys, err := s.ListSigningKeys(ctx(t))
			wantErr(t, "list", err, nil)
			if len(keys) != 1 || !bytes.Equal(keys[0].PublicKey, first.PublicKey) {
				t.Fatalf("after the refused add: %+v", keys)
			}
		})
	}

	t.Run("ConcurrentAddsOfOneGenerationOneWins", func(t *testing.T) {
		s := newStore(t)
		const n = 8
		errs := concurrently(n, func(i int) error {
			k := signingKey(1)
			k.ID = fmt.Sprintf("kid-racer-%d", i)
			return s.AddSigningKey(ctx(t), k)
		})
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ports.ErrSigningKeyTaken):
				t.Fatalf("add %d: %v", i, err)
			}
		}
		keys, err := s.ListSigningKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if won != 1 || len(keys) != 1 {
			t.Fatalf("%d adds won, %d keys stored; want 1 and 1", won, len(keys))
		}
	})

	t.Run("DeleteIsIdempotent", func(t *testing.T) {
		s := newStore(t)
		for g := int64(1); g <= 3; g++ {
			wantErr(t, "add", s.AddSigningKey(ctx(t), signingKey(g)), nil)
		}
		wantErr(t, "delete", s.DeleteSigningKey(ctx(t), "kid-1"), nil)
		wantErr(t, "delete again", s.DeleteSigningKey(ctx(t), "kid-1"), nil)
		wantErr(t, "delete unknown", s.DeleteSigningKey(ctx(t), "kid-404"), nil)
		keys, err := s.ListSigningKeys(ctx(t))
		wantErr(t, "list", err, nil)
		if len(keys) != 2 || keys[0].ID != "kid-2" || keys[1].ID != "kid-3" {
			t.Fatalf("after delete: %+v", keys)
		}
		// The freed id may be stored again (a re-imported key).
		wantErr(t, "re-add", s.AddSigningKey(ctx(t), signingKey(1)), nil)
	})
}
