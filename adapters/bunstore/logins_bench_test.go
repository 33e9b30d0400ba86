package bunstore

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

// BenchmarkStartPhoneLoginSQLite is a new user's login write on the
// embedded database.
func BenchmarkStartPhoneLoginSQLite(b *testing.B) {
	s, err := Open(b.Context(), Config{DatabaseURL: "sqlite:" + filepath.Join(b.TempDir(), "authd.db")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		_, _, err := s.StartPhoneLogin(b.Context(),
			domain.User{ID: fmt.Sprint("u", i), Username: fmt.Sprint("user_b", i), Phone: fmt.Sprintf("+86139%08d", i), CreatedAt: now},
			domain.RefreshToken{ID: fmt.Sprint("t", i), FamilyID: fmt.Sprint("f", i), Hash: []byte(fmt.Sprint("h", i)),
				CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now)
		if err != nil {
			b.Fatal(err)
		}
	}
}
