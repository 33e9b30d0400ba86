package main

import (
	"bytes"
	"crypto/rand"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/test/services"
)

// TestGuardStatusAndUnblock: status lists the recorded decisions with the
// subject's live counts and verdict; unblock forgets the counts.
func TestGuardStatusAndUnblock(t *testing.T) {
	redisURL := services.Redis(t)
	dir := t.TempDir()
	prefix := "authdtest" + strings.ToLower(rand.Text()[:10])
	env := []string{"AUTHD_DATA_DIR=" + dir, "AUTHD_CODE_SECRET=0123456789abcdef0123", "AUTHD_REDIS_URL=" + redisURL,
		"AUTHD_REDIS_KEY_PREFIX=" + prefix}
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"migrate"}, env, &out, &errOut); code != 0 {
		t.Fatalf("migrate: %s", errOut.String())
	}
	st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: "sqlite:" + filepath.Join(dir, "authd.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := st.RecordDecision(t.Context(), domain.GuardDecision{At: now, Phone: "+8613700000001", Country: "CN", Prefix: "+861370000",
		IP: "203.0.113.9", Action: domain.GuardBlock, Rule: "prefix_hour", Mode: domain.GuardEnforce}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	rs, err := rediscode.New(rediscode.Config{URL: redisURL, KeyPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	g := rediscode.NewGuard(rs)
	subj := ports.GuardSubject{Country: "CN", Prefix: "+861370000", IP: "203.0.113.9"}
	for i := range 9 {
		if err := g.RecordSend(t.Context(), "+86137000000"+string(rune('0'+i)), subj, now.Add(-10*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	if code := run(t.Context(), []string{"guard", "status"}, env, &out, &errOut); code != 0 {
		t.Fatalf("status: %s", errOut.String())
	}
	line := grepLine(out.String(), "+861370000")
	if !strings.Contains(line, "1 blocked") || !strings.Contains(line, "9 unverified") || !strings.Contains(line, "now: block prefix_hour") {
		t.Fatalf("status:\n%s", out.String())
	}
	out.Reset()
	if code := run(t.Context(), []string{"guard", "unblock", "--prefix", "+861370000"}, env, &out, &errOut); code != 0 {
		t.Fatalf("unblock: %s", errOut.String())
	}
	stats, err := g.Stats(t.Context(), subj, 2*time.Minute, now)
	if err != nil || stats.Prefix != (domain.GuardCounts{}) || stats.Country.Day.Sent != 9 {
		t.Fatalf("after unblock: %+v %v", stats, err)
	}
	for _, k := range []string{ports.GuardCountry, ports.GuardIP} {
		_ = g.Reset(t.Context(), k, map[string]string{ports.GuardCountry: "CN", ports.GuardIP: "203.0.113.9"}[k])
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"guard", "unblock"}, env, &out, &errOut); code != 2 {
		t.Fatalf("unblock without a subject: exit %d %s", code, errOut.String())
	}
}

func grepLine(s, substr string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			return l
		}
	}
	return ""
}
