package bunstore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/test/services"
)

// BenchmarkLoginDialects is a new user's phone login and the refresh that
// follows on each database: the two writes that must stay one round trip
// on Postgres (one transaction on SQLite).
func BenchmarkLoginDialects(b *testing.B) {
	for _, d := range dialects {
		b.Run(d.name, func(b *testing.B) {
			s, err := Open(b.Context(), Config{DatabaseURL: benchURL(b, d.name)}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(b.Context()); err != nil {
				b.Fatal(err)
			}
			now := time.Now()
			n := 0
			b.Run("StartPhoneLogin", func(b *testing.B) {
				for b.Loop() {
					n++
					_, _, err := s.StartPhoneLogin(b.Context(),
						domain.User{ID: fmt.Sprint("u", n), Username: fmt.Sprint("user_b", n), Phone: fmt.Sprintf("+86139%08d", n), CreatedAt: now},
						domain.RefreshToken{ID: fmt.Sprint("t", n), FamilyID: fmt.Sprint("f", n), Hash: []byte(fmt.Sprint("h", n)),
							CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now)
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("Refresh", func(b *testing.B) {
				// A fresh session per run: a rotated token cannot be refreshed again.
				n++
				prev := []byte(fmt.Sprint("hr", n))
				_, _, err := s.StartPhoneLogin(b.Context(),
					domain.User{ID: fmt.Sprint("u", n), Username: fmt.Sprint("user_b", n), Phone: fmt.Sprintf("+86139%08d", n), CreatedAt: now},
					domain.RefreshToken{ID: fmt.Sprint("t", n), FamilyID: fmt.Sprint("f", n), Hash: prev,
						CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					n++
					next := []byte(fmt.Sprint("r", n))
					_, _, err := s.Refresh(b.Context(), prev, domain.RefreshToken{ID: fmt.Sprint("rt", n), Hash: next,
						CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now, 0)
					if err != nil {
						b.Fatal(err)
					}
					prev = next
				}
			})
		})
	}
}

func benchURL(b *testing.B, dialect string) string {
	if dialect == "postgres" {
		return services.Postgres(b)
	}
	return "sqlite:" + filepath.Join(b.TempDir(), "authd.db")
}
