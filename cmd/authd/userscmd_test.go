package main

import (
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestUsersAndWebhooksCommands(t *testing.T) {
	dir := t.TempDir()
	if out, code := cli(t, dir, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, out)
	}
	out, code := cli(t, dir, "users", "create", "--phone", "137 1111 2222", "--username", "alice", "--email", "a@example.com")
	if code != 0 || !strings.Contains(out, "+8613711112222") || !strings.Contains(out, "has_password:  false") {
		t.Fatalf("create: %d %s", code, out)
	}
	if out, code := cli(t, dir, "users", "create", "--phone", "+8613711112222"); code != 1 || !strings.Contains(out, "phone taken") {
		t.Errorf("duplicate: %d %s", code, out)
	}
	cli(t, dir, "users", "create", "--phone", "13711113333", "--username", "bob")
	out, code = cli(t, dir, "users", "list", "--query", "AL")
	if code != 0 || !strings.Contains(out, "alice") || strings.Contains(out, "bob") {
		t.Errorf("list: %d %s", code, out)
	}
	for _, key := range []string{"alice", "13711112222"} {
		if out, code := cli(t, dir, "users", "show", key); code != 0 || !strings.Contains(out, "a@example.com") {
			t.Errorf("show %s: %d %s", key, code, out)
		}
	}
	if out, code := cli(t, dir, "users", "show", "nobody"); code != 1 || !strings.Contains(out, "not found") {
		t.Errorf("show unknown: %d %s", code, out)
	}
	if out, code := cli(t, dir, "users", "disable", "alice"); code != 0 {
		t.Errorf("disable still works: %d %s", code, out)
	}
	for _, args := range [][]string{{"users"}, {"users", "show"}, {"users", "create"}, {"users", "list", "x"}} {
		if _, code := cli(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}

	// Two user.created events wait; mark one dead and replay it.
	out, code = cli(t, dir, "webhooks", "status")
	if code != 0 || !strings.Contains(out, "pending 2, delivered 0, dead 0") || !strings.Contains(out, "no receivers configured") {
		t.Fatalf("status: %d %s", code, out)
	}
	st, err := openStore(t.Context(), settingsFor(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.ClaimWebhookEvents(t.Context(), "test", time.Now(), time.Minute, 1)
	if err != nil || len(evs) != 1 || evs[0].Type != domain.EventUserCreated || evs[0].Actor != "admin:cli" {
		t.Fatalf("claim = %+v, %v", evs, err)
	}
	if err := st.SettleWebhookEvent(t.Context(), evs[0].ID, ports.WebhookSettlement{Status: ports.WebhookDead, Error: "status 500"}); err != nil {
		t.Fatal(err)
	}
	out, _ = cli(t, dir, "webhooks", "status")
	if !strings.Contains(out, "dead 1") || !strings.Contains(out, evs[0].ID) || !strings.Contains(out, "status 500") {
		t.Errorf("status with a dead event: %s", out)
	}
	if out, code := cli(t, dir, "webhooks", "replay", evs[0].ID); code != 0 || !strings.Contains(out, "1 dead events pending again") {
		t.Errorf("replay: %d %s", code, out)
	}
	if _, code := cli(t, dir, "webhooks"); code != 2 {
		t.Errorf("webhooks without a subcommand: exit %d", code)
	}
}
