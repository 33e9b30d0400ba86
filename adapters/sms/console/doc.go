// Package console is the SMS sender for development: instead of sending, it
// writes one JSON line per message (with the code) so a developer can read
// the code from the server's output and log in with curl.
package console
