// Package bunstore stores users, refresh tokens and SMS send attempts with
// Bun, on embedded SQLite (the zero-configuration default) or on Postgres
// (production). One set of models and one set of versioned migrations serve
// both dialects; database errors are translated here into the domain's
// sentinels (unique violations, not found) and into domain.ErrUnavailable
// for connection failures, so nothing above this package sees SQL errors.
package bunstore
