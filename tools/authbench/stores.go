package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/redis/rueidis"
	"github.com/uptrace/bun/driver/pgdriver"
)

// openPostgres opens a small pool on dsn.
func openPostgres(dsn string, conns int) *sql.DB {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dsn)))
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db
}

// withDatabase is adminURL pointing at database name instead.
func withDatabase(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("--postgres: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// createDatabase creates database name (a generated identifier) and
// returns its URL.
func createDatabase(ctx context.Context, adminURL, name string) (string, error) {
	dsn, err := withDatabase(adminURL, name)
	if err != nil {
		return "", err
	}
	db := openPostgres(adminURL, 1)
	defer func() { _ = db.Close() }()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s on %s: %w", name, redact(adminURL), err)
	}
	return dsn, nil
}

func dropDatabase(ctx context.Context, adminURL, name string) error {
	db := openPostgres(adminURL, 1)
	defer func() { _ = db.Close() }()
	_, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}

// deleteKeys removes every key under prefix: codes expire within minutes,
// but the hourly and daily counters would linger for a day.
func deleteKeys(ctx context.Context, redisURL, prefix string) error {
	rc, err := openRedis(redisURL)
	if err != nil {
		return err
	}
	defer rc.Close()
	var cursor uint64
	for {
		e, err := rc.Do(ctx, rc.B().Scan().Cursor(cursor).Match(prefix+":*").Count(1000).Build()).AsScanEntry()
		if err != nil {
			return err
		}
		if len(e.Elements) > 0 {
			if err := rc.Do(ctx, rc.B().Unlink().Key(e.Elements...).Build()).Error(); err != nil {
				return err
			}
		}
		if cursor = e.Cursor; cursor == 0 {
			return nil
		}
	}
}

func openRedis(redisURL string) (rueidis.Client, error) {
	opt, err := rueidis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	opt.DisableCache = true
	return rueidis.NewClient(opt)
}

// redact hides a password in a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
