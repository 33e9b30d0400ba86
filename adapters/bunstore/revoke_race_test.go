package bunstore

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

// A revoke that runs while the family is being refreshed must not miss the
// token the refresh inserts after the revoke's snapshot (Postgres).
func TestRevokeCatchesConcurrentRefreshes(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			now := time.Now().UTC()
			for round := range 20 {
				u, _, err := s.StartPhoneLogin(t.Context(), domain.User{ID: fmt.Sprint("u", round), Username: fmt.Sprint("user_r", round),
					Phone: fmt.Sprintf("+8613900%05d", round), CreatedAt: now},
					domain.RefreshToken{ID: fmt.Sprint("t", round, "-0"), FamilyID: fmt.Sprint("f", round),
						Hash: []byte(fmt.Sprint("h", round, "-0")), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, now)
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				var last []byte
				wg.Add(2)
				go func() { // a client refreshing as fast as it can
					defer wg.Done()
					cur := []byte(fmt.Sprint("h", round, "-0"))
					for i := 1; i < 30; i++ {
						next := domain.RefreshToken{ID: fmt.Sprint("t", round, "-", i), Hash: []byte(fmt.Sprint("h", round, "-", i)),
							CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
						if _, _, err := s.Refresh(t.Context(), cur, next, now, 0); err != nil {
							return
						}
						cur = next.Hash
					}
					last = cur
				}()
				go func() { // the user changes the password: every session ends
					defer wg.Done()
					time.Sleep(time.Millisecond)
					if err := s.RevokeUser(t.Context(), u.ID, "", now); err != nil {
						t.Error(err)
					}
				}()
				wg.Wait()
				if last == nil {
					continue // the refresher was stopped by the revoke, as it should be
				}
				next := domain.RefreshToken{ID: fmt.Sprint("t", round, "-x"), Hash: []byte(fmt.Sprint("h", round, "-x")),
					CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
				_, _, err = s.Refresh(t.Context(), last, next, now, 0)
				if err == nil {
					// The refresher finished all its rotations before the revoke:
					// then the revoke must have caught the last one.
					t.Fatalf("round %d: a token issued around the revoke still refreshes", round)
				}
				if !errors.Is(err, domain.ErrInvalidToken) {
					t.Fatal(err)
				}
			}
		})
	}
}
