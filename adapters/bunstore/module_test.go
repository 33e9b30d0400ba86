package bunstore

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/test/services"
)

type wired struct {
	fx.In
	Users  ports.Users
	Tokens ports.RefreshTokens
	Log    ports.SMSLog
	Health []ports.HealthCheck `group:"health"`
}

func startModule(t *testing.T, cfg Config) (wired, error) {
	var w wired
	app := fx.New(fx.NopLogger, Module(cfg),
		fx.Supply(slog.New(slog.DiscardHandler)), fx.Populate(&w))
	if err := app.Start(t.Context()); err != nil {
		return w, err
	}
	t.Cleanup(func() { _ = app.Stop(context.Background()) })
	return w, nil
}

func TestModuleSQLiteMigratesAtStart(t *testing.T) {
	w, err := startModule(t, Config{DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "authd.db")})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Health) != 1 || w.Health[0].Name() != "database" {
		t.Fatalf("health group = %v", w.Health)
	}
	if err := w.Health[0].Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Users.FindOrCreateByPhone(t.Context(), candidateUser()); err != nil {
		t.Fatalf("store not migrated at start: %v", err)
	}
}

func TestModulePostgresRefusesStaleSchema(t *testing.T) {
	url := services.Postgres(t)
	if _, err := startModule(t, Config{DatabaseURL: url}); !errors.Is(err, ErrSchemaBehind) {
		t.Fatalf("start on empty Postgres = %v, want ErrSchemaBehind", err)
	}
	migrated(t, url)
	if _, err := startModule(t, Config{DatabaseURL: url}); err != nil {
		t.Fatalf("start on migrated Postgres: %v", err)
	}
}

func TestModuleValidates(t *testing.T) {
	for _, url := range []string{"sqlite:./data/authd.db", "postgres://h/db"} {
		if err := fx.ValidateApp(Module(Config{DatabaseURL: url}), fx.Supply(slog.Default())); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
}

func candidateUser() domain.User {
	return domain.User{ID: "0195-u-1", Username: "user_one", Phone: "+8613711110001", CreatedAt: time.Now()}
}
