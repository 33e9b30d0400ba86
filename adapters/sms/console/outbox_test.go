package console_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func send(t *testing.T, s *console.Sender, phone, code string) {
	t.Helper()
	_, err := s.Send(context.Background(), ports.SMSMessage{ID: "id-" + code, Phone: domain.Phone{E164: phone},
		Purpose: domain.PurposeLogin, Code: code, TTL: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
}

func codes(msgs []console.Message) string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Code)
	}
	return strings.Join(out, ",")
}

func TestOutboxKeepsRecentMessagesNewestFirst(t *testing.T) {
	// The normaliser stands in for the phone parser: national 137... is +86137...
	normalize := func(raw string) (string, bool) {
		switch {
		case strings.HasPrefix(raw, "+"):
			return raw, true
		case strings.HasPrefix(raw, "1"):
			return "+86" + raw, true
		}
		return "", false
	}
	o := console.NewOutbox(3, normalize)
	s := console.New(console.Config{Writer: io.Discard, Outbox: o})
	if got := o.Recent(""); len(got) != 0 {
		t.Fatalf("empty outbox: %v", got)
	}
	send(t, s, "+8613711112222", "111111")
	send(t, s, "+8613711113333", "222222")
	send(t, s, "+8613711112222", "333333")
	send(t, s, "+8613711112222", "444444") // pushes 111111 out
	tests := []struct {
		phone, want string
	}{
		{"", "444444,333333,222222"},
		{"+8613711112222", "444444,333333"},
		{"13711112222", "444444,333333"},
		{"+8613711113333", "222222"},
		{"+8613700000000", ""},
		{"not a phone", ""},
	}
	for _, tt := range tests {
		if got := codes(o.Recent(tt.phone)); got != tt.want {
			t.Errorf("Recent(%q) = %s, want %s", tt.phone, got, tt.want)
		}
	}
	m := o.Recent("")[0]
	if m.Purpose != "login" || m.MessageID != "id-444444" || m.SentAt.IsZero() || m.ExpiresAt.Sub(m.SentAt) != 5*time.Minute {
		t.Errorf("message = %+v", m)
	}
}

func TestOutboxBoundedUnderConcurrentSends(t *testing.T) {
	o := console.NewOutbox(0, nil) // default size
	s := console.New(console.Config{Writer: io.Discard, Outbox: o})
	var wg sync.WaitGroup
	for i := range 4 * console.DefaultOutboxSize {
		wg.Go(func() { send(t, s, "+8613711112222", fmt.Sprintf("%06d", i)) })
	}
	wg.Wait()
	if n := len(o.Recent("")); n != console.DefaultOutboxSize {
		t.Fatalf("kept %d messages, want %d", n, console.DefaultOutboxSize)
	}
}
