// Package jwttokens issues and verifies access tokens: JWTs (RFC 9068
// profile, "typ: at+jwt") signed with Ed25519 keys whose public halves are
// served as a JWK Set so that other services can verify tokens without
// calling authd.
//
// The key is either fixed (AUTHD_JWT_KEY_FILE; New) or rotating (NewRotating):
// the keys live in ports.SigningKeys, shared by every instance, with the
// private halves sealed (AES-256-GCM, see Sealer). Each instance reloads
// them on a jittered interval; a rotated key is published at once and signs
// only after ActivationDelay, so every instance knows it before a token it
// signed arrives. A retired key stays published until its last token has
// expired (Classify), then is pruned.
//
// Keys are parsed once per change into an immutable snapshot; signing and
// verifying use the raw ed25519 keys, which is what keeps both cheap. The
// cache of verified tokens belongs to the snapshot, so a key change can
// never leave a token verified by a withdrawn key in it.
package jwttokens
