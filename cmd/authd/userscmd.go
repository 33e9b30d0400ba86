package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/authd/authd/adapters/argon2hash"
	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/adapters/strength"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/app"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/domain"
)

const usersUsage = "usage: authd users list [--query Q] [--limit N] | show <phone|username|id> | " +
	"create --phone P [--username U] [--email E] [--password-stdin] | disable|enable <phone|username>"

// cliAdmin names changes made from the command line in security events.
var cliAdmin = app.Admin{Actor: "admin:cli"}

// usersCommand is the operator's user commands: the admin API's search,
// show and create, plus the original disable and enable.
func usersCommand(ctx context.Context, s wiring.Settings, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 && (args[0] == "disable" || args[0] == "enable") {
		return users(ctx, s, args, stdout)
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "show" && args[0] != "create") {
		return usageError(usersUsage)
	}
	fs := flag.NewFlagSet("users "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	query := fs.String("query", "", "phone, or username/email prefix")
	limit := fs.Int("limit", app.DefaultPageLimit, "users to show")
	phone := fs.String("phone", "", "phone of the new user")
	username := fs.String("username", "", "username (default: generated)")
	email := fs.String("email", "", "email")
	pwStdin := fs.Bool("password-stdin", false, "read a password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(usersUsage)
	}
	if (args[0] == "show") != (fs.NArg() == 1) || (args[0] != "show" && fs.NArg() != 0) || (args[0] == "create" && *phone == "") {
		return usageError(usersUsage)
	}
	st, err := openChecked(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	uc, err := cliAdminUsers(s, st)
	if err != nil {
		return err
	}
	switch args[0] {
	case "list":
		us, next, err := uc.Search(ctx, *query, "", *limit)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-36s  %-16s  %-24s  %-8s  %s\n", "ID", "PHONE", "USERNAME", "DISABLED", "CREATED")
		for _, u := range us {
			fmt.Fprintf(stdout, "%-36s  %-16s  %-24s  %-8v  %s\n", u.ID, u.Phone, u.Username, u.Disabled, u.CreatedAt.Format(time.RFC3339))
		}
		if next != "" {
			fmt.Fprintln(stdout, "(more: raise --limit or narrow --query)")
		}
		return nil
	case "show":
		u, err := findUser(ctx, s, st, uc, fs.Arg(0))
		if err != nil {
			return err
		}
		printUser(stdout, u)
		return nil
	}
	in := app.AdminCreateUserInput{Phone: *phone, Username: *username, Email: *email}
	if *pwStdin {
		b, err := io.ReadAll(io.LimitReader(stdin, 4096))
		if err != nil {
			return err
		}
		in.Password = trimNewline(string(b))
	}
	u, err := uc.Create(ctx, cliAdmin, in)
	if err != nil {
		return err
	}
	printUser(stdout, u)
	return nil
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// cliAdminUsers builds the admin use cases on the store, as the server does.
func cliAdminUsers(s wiring.Settings, st *bunstore.Store) (*app.AdminUsers, error) {
	phones, err := phonenum.New(phonenum.Config{DefaultRegion: s.SMSDefaultRegion})
	if err != nil {
		return nil, err
	}
	hasher, err := argon2hash.New(argon2hash.Config{Concurrency: 1, QueueTimeout: time.Minute})
	if err != nil {
		return nil, err
	}
	checker, err := strength.New(strength.Config{MinScore: s.PasswordMinScore})
	if err != nil {
		return nil, err
	}
	return app.NewAdminUsers(app.AdminUsersDeps{Users: st, Admin: st, Sessions: st, Deletion: st, Phones: phones,
		Passwords: hasher, Strength: checker, IDs: system.NewIDs(), Clock: system.NewClock()}), nil
}

// findUser takes an id, a username or a phone in any accepted form.
func findUser(ctx context.Context, s wiring.Settings, st *bunstore.Store, uc *app.AdminUsers, key string) (domain.User, error) {
	u, err := uc.Get(ctx, key)
	if errors.Is(err, domain.ErrNotFound) {
		u, err = st.ByUsername(ctx, key)
	}
	if errors.Is(err, domain.ErrNotFound) {
		parser, perr := phonenum.New(phonenum.Config{DefaultRegion: s.SMSDefaultRegion})
		if perr != nil {
			return domain.User{}, perr
		}
		if p, perr := parser.Parse(key); perr == nil {
			u, err = st.ByPhone(ctx, p.E164)
		}
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("user %q: %w", key, err)
	}
	return u, nil
}

func printUser(w io.Writer, u domain.User) {
	last := "never"
	if !u.LastLoginAt.IsZero() {
		last = u.LastLoginAt.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "id:            %s\nusername:      %s\nphone:         %s\nemail:         %s\nicon:          %s\n"+
		"has_password:  %v\ndisabled:      %v\ncreated_at:    %s\nupdated_at:    %s\nlast_login_at: %s\n",
		u.ID, u.Username, u.Phone, u.Email, u.Icon, u.HasPassword(), u.Disabled,
		u.CreatedAt.Format(time.RFC3339), u.UpdatedAt.Format(time.RFC3339), last)
}
