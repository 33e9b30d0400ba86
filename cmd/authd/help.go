package main

import (
	"fmt"
	"io"
)

// commands is what `authd help` prints: one line per subcommand, in the
// order an operator meets them.
var commands = [][2]string{
	{"serve", "run the HTTP server (the default)"},
	{"migrate", "apply database migrations"},
	{"users disable|enable <login>", "disable or enable an account (phone or username)"},
	{"sms test-send --phone P [--provider NAME]", "send one test message with the configured vendor"},
	{"keys generate", "print a new Ed25519 signing key (PEM)"},
	{"keys list", "list the signing keys in the database"},
	{"keys rotate [-activate-after D]", "add a new signing key; every instance signs with it after D"},
	{"guard status [--since D]", "the SMS abuse guard: top countries, prefixes and IPs, what is blocked now"},
	{"guard unblock --country|--prefix|--ip X", "clear one subject's guard counts"},
	{"admin-keys create --name N|list|revoke N", "admin API keys (a new key is printed once)"},
	{"users list|show|create ...", "look up and create accounts"},
	{"webhooks status|replay [ID...]", "webhook deliveries: pending and dead events, resend dead ones"},
	{"config", "print the effective configuration, secrets masked"},
	{"healthcheck", "exit 0 if the local server's /healthz answers 200, else 1 (container HEALTHCHECK)"},
	{"help", "print this list"},
}

func help(stdout io.Writer) {
	fmt.Fprintln(stdout, "usage: authd [-config FILE] <command>")
	fmt.Fprintln(stdout, "commands:")
	for _, c := range commands {
		fmt.Fprintf(stdout, "  %-42s %s\n", c[0], c[1])
	}
	fmt.Fprintln(stdout, "Configuration: -config FILE (or AUTHD_CONFIG) and AUTHD_* variables; `authd config` shows them.")
}
