package console

import (
	"sync"
	"time"

	"github.com/authd/authd/ports"
)

// DefaultOutboxSize is how many messages an Outbox keeps by default: enough
// for a developer and a test suite, small enough to be no memory concern.
const DefaultOutboxSize = 100

// Message is one message the console sender printed.
type Message struct {
	Phone     string
	Purpose   string
	Code      string
	MessageID string
	SentAt    time.Time
	ExpiresAt time.Time
}

// Outbox keeps the console sender's most recent messages in memory so a
// developer can read a code over HTTP (as mail catchers do for email),
// without the server's output. It is bounded: the oldest message goes when
// a new one would pass the size.
type Outbox struct {
	mu        sync.Mutex
	ring      []Message
	next      int // where the next message goes
	full      bool
	normalize func(string) (string, bool)
	now       func() time.Time
}

// NewOutbox keeps up to size messages (DefaultOutboxSize when size < 1).
// normalize turns a phone as a user typed it into E.164 for Recent's
// filter; nil compares as given.
func NewOutbox(size int, normalize func(string) (string, bool)) *Outbox {
	if size < 1 {
		size = DefaultOutboxSize
	}
	return &Outbox{ring: make([]Message, size), normalize: normalize, now: time.Now}
}

func (o *Outbox) add(msg ports.SMSMessage) {
	now := o.now().UTC()
	m := Message{Phone: msg.Phone.E164, Purpose: string(msg.Purpose), Code: msg.Code,
		MessageID: msg.ID, SentAt: now, ExpiresAt: now.Add(msg.TTL)}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ring[o.next] = m
	o.next = (o.next + 1) % len(o.ring)
	if o.next == 0 {
		o.full = true
	}
}

// Recent returns the kept messages newest first, only those for phone
// when it is not empty. A phone that does not parse matches nothing.
func (o *Outbox) Recent(phone string) []Message {
	if phone != "" && o.normalize != nil {
		p, ok := o.normalize(phone)
		if !ok {
			return nil
		}
		phone = p
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	n := o.next
	if o.full {
		n = len(o.ring)
	}
	out := make([]Message, 0, n)
	for i := 1; i <= n; i++ {
		m := o.ring[(o.next-i+len(o.ring))%len(o.ring)]
		if phone == "" || m.Phone == phone {
			out = append(out, m)
		}
	}
	return out
}
