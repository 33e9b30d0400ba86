// Package adminapi is the admin HTTP API (API.md "Admin endpoints"): user
// search and changes, sessions, the security-event and SMS send logs, and
// RFC 7662 token introspection, behind admin keys. It follows the public
// API's conventions (problem+json through httpapi's error table,
// X-Request-ID, JSON bodies, no-store) and is mounted at /admin/v1 on the
// admin listener; handlers decode, call a use case and reply.
package adminapi
