package bunstore

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

func pruneToken(user string, n int, expires, rotated, revoked time.Time) domain.RefreshToken {
	h := sha256.Sum256(fmt.Append(nil, "prune-", n))
	return domain.RefreshToken{ID: fmt.Sprint("t", n), UserID: user, FamilyID: fmt.Sprint("f", n), Hash: h[:],
		CreatedAt: expires.Add(-48 * time.Hour), ExpiresAt: expires, RotatedAt: rotated, RevokedAt: revoked}
}

// TestPruneRefreshTokens: expired and long-revoked tokens go in bounded
// batches; live, rotated-but-unexpired and freshly revoked ones stay.
func TestPruneRefreshTokens(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	cut := now.Add(-pruneGrace)
	var zero time.Time
	tokens := []struct {
		tok  domain.RefreshToken
		gone bool
	}{
		{pruneToken("u1", 1, now.Add(time.Hour), zero, zero), false},                    // live
		{pruneToken("u1", 2, now.Add(time.Hour), now.Add(-2*time.Hour), zero), false},   // rotated, reuse detector
		{pruneToken("u1", 3, now.Add(time.Hour), zero, now.Add(-time.Minute)), false},   // revoked in the grace period
		{pruneToken("u1", 4, now.Add(-time.Minute), zero, zero), false},                 // expired in the grace period
		{pruneToken("u1", 5, now.Add(-2*time.Hour), zero, zero), true},                  // expired
		{pruneToken("u1", 6, now.Add(-3*time.Hour), now.Add(-4*time.Hour), zero), true}, // expired rotated
		{pruneToken("u1", 7, now.Add(time.Hour), zero, now.Add(-2*time.Hour)), true},    // revoked long ago
		{pruneToken("u1", 8, now.Add(time.Hour), now.Add(-3*time.Hour), cut.Add(-time.Second)), true},
		{pruneToken("u1", 9, now.Add(-30*time.Hour), zero, now.Add(-40*time.Hour)), true}, // both
	}
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			if _, _, err := s.FindOrCreateByPhone(t.Context(), domain.User{ID: "u1", Username: "user_1", Phone: "+8613711110001"}); err != nil {
				t.Fatal(err)
			}
			for _, tt := range tokens {
				if err := s.Create(t.Context(), tt.tok); err != nil {
					t.Fatal(err)
				}
			}
			// Batches of 2: three calls take the five prunable rows.
			total := 0
			for i := range 10 {
				n, err := s.PruneRefreshTokens(t.Context(), cut, cut, 2)
				if err != nil {
					t.Fatal(err)
				}
				if n > 4 {
					t.Fatalf("call %d deleted %d rows, batch is 2 per kind", i, n)
				}
				if n == 0 {
					break
				}
				total += n
			}
			if total != 5 {
				t.Errorf("pruned %d rows, want 5", total)
			}
			for _, tt := range tokens {
				_, err := s.Get(t.Context(), tt.tok.Hash)
				if gone := errors.Is(err, domain.ErrNotFound); gone != tt.gone || (err != nil && !gone) {
					t.Errorf("token %s: gone = %v (err %v), want gone = %v", tt.tok.ID, gone, err, tt.gone)
				}
			}
		})
	}
}

// TestPruneRoundAllBatches: one round empties a backlog larger than a batch.
func TestPruneRoundAllBatches(t *testing.T) {
	now := time.Now()
	s := migrated(t, dialects[0].url(t))
	if _, _, err := s.FindOrCreateByPhone(t.Context(), domain.User{ID: "u1", Username: "user_1", Phone: "+8613711110001"}); err != nil {
		t.Fatal(err)
	}
	const n = pruneBatch + 10
	for i := range n {
		if err := s.Create(t.Context(), pruneToken("u1", i, now.Add(-2*pruneGrace), time.Time{}, time.Time{})); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.pruneRound(t.Context(), now)
	if err != nil || got != n {
		t.Fatalf("pruneRound = %d, %v; want %d", got, err, n)
	}
}

// TestIndexesBuiltConcurrently: the pruning indexes exist and are valid
// on Postgres, where they were built with CREATE INDEX CONCURRENTLY (which
// fails inside a transaction), and an invalid leftover of a failed build is
// dropped and rebuilt.
func TestIndexesBuiltConcurrently(t *testing.T) {
	s := migrated(t, dialects[1].url(t))
	valid := func(name string) bool {
		t.Helper()
		ok, err := s.db.NewSelect().TableExpr("pg_index AS i").Join("JOIN pg_class AS c ON c.oid = i.indexrelid").
			Where("c.relname = ?", name).Where("i.indisvalid").Exists(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for _, name := range []string{"refresh_tokens_expires_at_idx", "refresh_tokens_revoked_at_idx"} {
		if !valid(name) {
			t.Errorf("index %s missing or invalid", name)
		}
	}
	// Mark one invalid, as a failed concurrent build leaves it.
	if _, err := s.db.ExecContext(t.Context(), `UPDATE pg_index SET indisvalid = false
		WHERE indexrelid = 'refresh_tokens_expires_at_idx'::regclass`); err != nil {
		t.Fatalf("mark the index invalid (the test role is a superuser): %v", err)
	}
	if valid("refresh_tokens_expires_at_idx") {
		t.Fatal("index still valid")
	}
	ix := schemaIndex{name: "refresh_tokens_expires_at_idx", def: "ON refresh_tokens (expires_at)"}
	if err := s.buildIndex(t.Context(), s.db, ix); err != nil {
		t.Fatal(err)
	}
	if !valid(ix.name) {
		t.Error("invalid index not rebuilt")
	}
}
