package portstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

// contractTime is the suites' clock: UTC with microsecond precision, which
// every store (Postgres included) keeps exactly.
var contractTime = time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)

// testID returns a UUID-shaped id unique within a test.
func testID(kind byte, n int) string {
	return fmt.Sprintf("0195%04x-0000-7000-8000-%012d", kind, n)
}

// candidate is a user as LoginOrRegister builds it for FindOrCreateByPhone.
func candidate(n int) domain.User {
	return domain.User{
		ID:        testID('u', n),
		Username:  fmt.Sprintf("user_%d", n),
		Phone:     fmt.Sprintf("+861371111%04d", n),
		CreatedAt: contractTime,
	}
}

// wantErr fails t unless err matches want (nil: no error).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

// sameTime fails t unless the times are equal (zero meaning unset).
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// concurrently runs f(i) for i in [0,n) at once and returns the errors.
func concurrently(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func ctx(t *testing.T) context.Context { return t.Context() }
