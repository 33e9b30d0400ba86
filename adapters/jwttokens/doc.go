// Package jwttokens issues and verifies access tokens: JWTs (RFC 9068
// profile, "typ: at+jwt") signed with one Ed25519 key, whose public half is
// served as a JWK Set so that other services can verify tokens without
// calling authd. The key comes from AUTHD_JWT_KEY_FILE or, when that is
// unset, is generated once and kept under AUTHD_DATA_DIR so that tokens
// survive a restart. Keys are parsed once at construction; signing and
// verifying use the raw ed25519 keys, which is what keeps both cheap.
package jwttokens
