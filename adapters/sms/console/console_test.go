package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// lockedBuffer lets concurrent sends share one output in the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func TestSendWritesOneJSONLine(t *testing.T) {
	out := &lockedBuffer{}
	s := console.New(console.Config{Writer: out})
	msg := ports.SMSMessage{
		ID:      "msg-1",
		Phone:   domain.Phone{E164: "+8613711112222", Region: "CN"},
		Purpose: domain.PurposeLogin,
		Code:    "123456",
		TTL:     5 * time.Minute,
	}
	res, err := s.Send(context.Background(), msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if res.Provider != "console" || res.MessageID != "msg-1" {
		t.Errorf("result = %+v", res)
	}
	lines := strings.Split(strings.TrimRight(out.buf.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one line, got %d: %q", len(lines), out.buf.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	want := map[string]any{"msg": "sms.console", "phone": "+8613711112222", "purpose": "login", "code": "123456", "message_id": "msg-1"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

func TestConcurrentSendsKeepLinesWhole(t *testing.T) {
	out := &lockedBuffer{}
	s := console.New(console.Config{Writer: out})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, _ = s.Send(context.Background(), ports.SMSMessage{ID: "x", Code: "000000", Purpose: domain.PurposeLogin})
		})
	}
	wg.Wait()
	for _, line := range strings.Split(strings.TrimRight(out.buf.String(), "\n"), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("interleaved line: %q", line)
		}
	}
}
