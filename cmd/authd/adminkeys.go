package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/app"
	"github.com/authd/authd/cmd/authd/wiring"
)

const adminKeysUsage = "usage: authd admin-keys create --name NAME | list | revoke NAME"

// adminKeys manages admin API keys. A new key is printed once; only its
// hash is stored.
func adminKeys(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError(adminKeysUsage)
	}
	var name string
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("admin-keys create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.StringVar(&name, "name", "", "who holds the key")
		if err := fs.Parse(args[1:]); err != nil || name == "" || fs.NArg() != 0 {
			return usageError(adminKeysUsage)
		}
	case "list":
		if len(args) != 1 {
			return usageError(adminKeysUsage)
		}
	case "revoke":
		if len(args) != 2 {
			return usageError(adminKeysUsage)
		}
		name = args[1]
	default:
		return usageError(adminKeysUsage)
	}
	st, err := openChecked(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	uc := app.NewAdminKeys(st, system.NewIDs(), system.NewClock())
	switch args[0] {
	case "create":
		key, _, err := uc.Create(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
		return nil
	case "revoke":
		if err := uc.Revoke(ctx, name); err != nil {
			return fmt.Errorf("admin key %q: %w", name, err)
		}
		fmt.Fprintf(stdout, "admin key %s revoked\n", name)
		return nil
	}
	keys, err := uc.List(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-24s %-20s %s\n", "NAME", "CREATED", "REVOKED")
	for _, k := range keys {
		revoked := "-"
		if !k.Live() {
			revoked = k.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "%-24s %-20s %s\n", k.Name, k.CreatedAt.Format(time.RFC3339), revoked)
	}
	return nil
}

// openChecked opens the store and refuses a schema that is behind.
func openChecked(ctx context.Context, s wiring.Settings) (*bunstore.Store, error) {
	st, err := openStore(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := st.CheckSchema(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
