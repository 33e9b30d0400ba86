// Command authd is the phone-first authentication server.
//
//	authd [serve]                          run the HTTP server
//	authd migrate                          apply database migrations
//	authd users disable|enable <login>     disable or enable an account (phone or username)
//	authd users list|show|create           search, show or create users (as the admin API)
//	authd webhooks status|replay [ID...]   webhook outbox state; replay dead events
//	authd sms test-send --phone P [--provider tencent]
//	                                       send one test message with the configured vendor
//	authd keys generate                    print a new Ed25519 signing key (PEM)
//	authd keys list                        list the signing keys in the database
//	authd keys rotate [-activate-after D]  add a new signing key; every instance signs with it after D
//	authd guard status|unblock ...        the SMS abuse guard (see authd help)
//	authd admin-keys create --name N|list|revoke N
//	                                       admin API keys (a new key is printed once)
//	authd config                           print the effective configuration, secrets masked
//	authd healthcheck                      exit 0 if the local /healthz answers 200 (container HEALTHCHECK)
//	authd help                             list the commands
//
// Configuration comes from -config FILE (or AUTHD_CONFIG) and AUTHD_*
// variables; see the README for every key.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/authd/authd/cmd/authd/wiring"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

// run is main without the process: testable, and every failure is an exit
// code with a message rather than a panic.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { _, _ = fmt.Fprint(stderr, usage) }
	configPath := fs.String("config", lookupEnv(environ, "AUTHD_CONFIG"), "YAML configuration file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	settings, err := wiring.LoadSettings(*configPath, environ)
	if err != nil {
		fmt.Fprintln(stderr, "authd: configuration:", err)
		return 2
	}
	cmd, rest := "serve", fs.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		err = serve(settings, stdout)
	case "migrate":
		err = migrate(ctx, settings, stdout)
	case "users":
		err = usersCommand(ctx, settings, rest, os.Stdin, stdout)
	case "webhooks":
		err = webhooksCommand(ctx, settings, rest, stdout)
	case "sms":
		err = smsCommand(ctx, settings, rest, stdout)
	case "keys":
		err = keys(ctx, settings, rest, stdout)
	case "guard":
		err = guardCommand(ctx, settings, rest, stdout)
	case "healthcheck":
		err = healthcheck(ctx, settings, rest, stdout)
	case "help", "-h", "--help":
		help(stdout)
	case "admin-keys":
		err = adminKeys(ctx, settings, rest, stdout)
	case "config":
		for _, line := range settings.Describe() {
			fmt.Fprintln(stdout, line)
		}
	default:
		err = usageError("unknown command " + cmd)
	}
	if err != nil {
		fmt.Fprintln(stderr, "authd:", err)
		var u usageError
		if errors.As(err, &u) {
			return 2
		}
		return 1
	}
	return 0
}

// usage is what authd help prints.
const usage = `usage: authd [-config FILE] [command]

commands:
  serve                                  run the HTTP server (the default)
  migrate                                apply database migrations
  users disable|enable <phone|username>  disable or enable an account
  sms test-send --phone P [--provider tencent|aliyun]
                                         send one test message with a configured vendor
  keys generate                          print a new Ed25519 signing key (PEM)
  config                                 print the effective configuration, secrets masked
  help                                   this list

Configuration: -config FILE (or AUTHD_CONFIG) and AUTHD_* variables; the
README lists every key.
`

type usageError string

func (e usageError) Error() string { return string(e) }

func lookupEnv(environ []string, key string) string {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
