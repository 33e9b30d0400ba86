// Package strength refuses guessable passwords with the zxcvbn estimator
// (github.com/ccojocar/zxcvbn-go): common-password, word and name
// dictionaries, keyboard patterns, repeats, sequences, dates and the user's
// own username, email and phone, rather than composition rules.
package strength
