package ports

import "context"

// Passwords hashes and verifies passwords.
type Passwords interface {
	// Hash returns an encoded hash (PHC string). It fails with an error
	// matching domain.ErrUnavailable when hashing capacity is exhausted.
	Hash(ctx context.Context, plain string) (string, error)
	// Verify reports whether plain matches hash. An empty hash is verified
	// against a dummy so that "no such user" and "no password" cost the
	// same time as a wrong password, and reports false.
	Verify(ctx context.Context, hash, plain string) (bool, error)
}

// PasswordStrength rejects guessable passwords with *domain.WeakPasswordError.
// userInputs (username, email, phone) count against the password.
type PasswordStrength interface {
	Check(plain string, userInputs []string) error
}
