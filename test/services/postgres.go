package services

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// DefaultPostgresURL is the admin URL used when AUTHD_TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Postgres creates a fresh, empty database named authd_test_<random> through
// the admin URL in AUTHD_TEST_POSTGRES_URL and returns its URL. The database
// is dropped (WITH (FORCE), so open pools do not block it) when t ends. When
// Postgres cannot be reached, t is skipped or failed through Unreachable.
func Postgres(t testing.TB) string {
	t.Helper()
	admin := Env("AUTHD_TEST_POSTGRES_URL", DefaultPostgresURL)
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("AUTHD_TEST_POSTGRES_URL: %v", err)
	}
	db, err := openAdmin(admin)
	if err != nil {
		t.Fatalf("AUTHD_TEST_POSTGRES_URL: %v", err)
	}
	defer db.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		Unreachable(t, "postgres", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "authd_test_" + hex.EncodeToString(b[:])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() { dropDatabase(t, admin, name) })

	u.Path = "/" + name
	return u.String()
}

func dropDatabase(t testing.TB, admin, name string) {
	db, err := openAdmin(admin)
	if err != nil {
		t.Errorf("drop database %s: %v", name, err)
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		t.Errorf("drop database %s: %v", name, err)
	}
}

// openAdmin opens a pool on the admin URL; pgdriver.WithDSN panics on a
// malformed DSN, so the panic is turned into an error.
func openAdmin(dsn string) (db *sql.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("invalid postgres url: %v", r)
		}
	}()
	c := pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithDialTimeout(3*time.Second))
	return sql.OpenDB(c), nil
}
