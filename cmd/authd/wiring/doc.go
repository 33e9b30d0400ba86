// Package wiring turns configuration into a running authd: it loads the
// settings (defaults, YAML, AUTHD_* environment) and is the one place where
// they choose the adapters (Modules). cmd/authd runs what it builds; the
// end-to-end tests in test/ build the same graph with fakes swapped in.
package wiring
