package system

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/authd/authd/ports"
)

func TestClockIsUTCAndCurrent(t *testing.T) {
	now := NewClock().Now()
	if now.Location() != time.UTC {
		t.Fatalf("location = %v, want UTC", now.Location())
	}
	if d := time.Since(now); d < 0 || d > time.Minute {
		t.Fatalf("clock is off by %v", d)
	}
}

func TestIDsAreUniqueV7AndOrdered(t *testing.T) {
	ids := NewIDs()
	prev := ""
	seen := map[string]bool{}
	for range 1000 {
		s := ids.NewID()
		u, err := uuid.Parse(s)
		if err != nil {
			t.Fatalf("parse %q: %v", s, err)
		}
		if u.Version() != 7 {
			t.Fatalf("version = %d, want 7", u.Version())
		}
		if seen[s] {
			t.Fatalf("duplicate id %s", s)
		}
		seen[s] = true
		// v7 ids generated in one process are monotonic (the library
		// fills the sub-millisecond bits with a counter).
		if s <= prev {
			t.Fatalf("id %s not after %s", s, prev)
		}
		prev = s
	}
}

func TestModuleProvidesPorts(t *testing.T) {
	var clock ports.Clock
	var ids ports.IDs
	app := fx.New(Module(), fx.NopLogger, fx.Populate(&clock, &ids))
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if clock == nil || ids == nil {
		t.Fatal("ports not provided")
	}
}
