// Package httpapi is authd's HTTP adapter: a Fiber v2 server exposing the
// contract in shared/API.md. Handlers decode JSON, call one use case and
// encode the result; every error travels back to the single mapping table in
// errors.go, which renders RFC 9457 problem details with a stable code.
package httpapi
