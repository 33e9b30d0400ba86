// Package domain holds authd's entities, value objects and rules: users,
// phone numbers, one-time code purposes and policy, and the typed errors the
// use cases return. It depends on the standard library only, so every other
// layer can import it and none of it knows about HTTP, SQL or vendors.
package domain
