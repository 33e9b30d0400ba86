package bunstore

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/authd/authd/test/services"
)

func TestMigrateTwiceIsNoop(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := migrated(t, d.url(t))
			if err := s.Migrate(t.Context()); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			var n int
			if err := s.db.NewSelect().TableExpr("bun_migrations").ColumnExpr("count(*)").Scan(t.Context(), &n); err != nil {
				t.Fatal(err)
			}
			if n != len(schemaSteps) {
				t.Fatalf("bun_migrations has %d rows, want %d", n, len(schemaSteps))
			}
			if err := s.CheckSchema(t.Context()); err != nil {
				t.Fatalf("CheckSchema after migrate: %v", err)
			}
		})
	}
}

func TestConcurrentMigratePostgres(t *testing.T) {
	url := services.Postgres(t)
	stores := []*Store{openStore(t, url), openStore(t, url), openStore(t, url)}
	var wg sync.WaitGroup
	errs := make([]error, len(stores))
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d: %v", i, err)
		}
	}
	if err := stores[0].CheckSchema(t.Context()); err != nil {
		t.Fatalf("CheckSchema: %v", err)
	}
}

func TestCheckSchemaBehind(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			s := openStore(t, d.url(t))
			err := s.CheckSchema(t.Context())
			if !errors.Is(err, ErrSchemaBehind) || !strings.Contains(err.Error(), `run "authd migrate"`) {
				t.Fatalf("CheckSchema on empty database = %v, want ErrSchemaBehind", err)
			}
			// A database whose migration table exists but misses steps is behind too.
			if err := s.migrator().Init(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := s.CheckSchema(t.Context()); !errors.Is(err, ErrSchemaBehind) {
				t.Fatalf("CheckSchema with pending steps = %v, want ErrSchemaBehind", err)
			}
		})
	}
}
