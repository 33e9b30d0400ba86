package smstest

import (
	"net/http"
	"sync"
	"time"
)

// Mode is how a fake answers the next requests that pass its checks.
type Mode struct {
	kind   modeKind
	code   string
	status int
	delay  time.Duration
}

type modeKind int

const (
	kindOK modeKind = iota
	kindNumberError
	kindCallError
	kindStatus
	kindHang
)

// OK accepts the message.
var OK = Mode{}

// Hang never answers: the handler waits until the client gives up or the
// fake is closed.
var Hang = Mode{kind: kindHang}

// NumberError refuses the message with a vendor code about the number:
// Tencent's per-number SendStatus Code, Aliyun's HTTP 200 business Code.
func NumberError(code string) Mode { return Mode{kind: kindNumberError, code: code} }

// CallError fails the whole call with a vendor code: Tencent's
// Response.Error (HTTP 200), Aliyun's error body with HTTP status (400 when
// status is 0).
func CallError(code string, status int) Mode {
	return Mode{kind: kindCallError, code: code, status: status}
}

// Status answers with a bare HTTP status and a non-JSON body, as a proxy in
// front of a failing vendor does.
func Status(status int) Mode { return Mode{kind: kindStatus, status: status} }

// Slow delays the answer of m by d.
func Slow(m Mode, d time.Duration) Mode { m.delay = d; return m }

// Message is one request that passed the signature check.
type Message struct {
	Phone    string // as sent: E.164 for Tencent, without + (and +86) for Aliyun
	SignName string
	Template string
	// Params are Tencent's TemplateParamSet; Aliyun's TemplateParam values
	// in key order "code", "password".
	Params   []string
	Code     string // the code or password: the first parameter
	Ref      string // our message id: Tencent SessionContext, Aliyun OutId
	Accepted bool   // whether the fake answered success
	SDKAppID string // Tencent only
}

// base is what both fakes share: the mode, the record and hang release.
type base struct {
	mu       sync.Mutex
	mode     Mode
	messages []Message
	requests int
	closed   chan struct{}
	once     sync.Once
}

func newBase() *base { return &base{closed: make(chan struct{})} }

// SetMode switches how the fake answers from now on.
func (b *base) SetMode(m Mode) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mode = m
}

func (b *base) currentMode() Mode {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requests++
	return b.mode
}

// Requests counts the HTTP requests received, signed correctly or not.
func (b *base) Requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.requests
}

// Messages returns a copy of the messages received so far.
func (b *base) Messages() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.messages...)
}

// Last returns the last message received; ok is false when there is none.
func (b *base) Last() (m Message, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.messages) == 0 {
		return Message{}, false
	}
	return b.messages[len(b.messages)-1], true
}

func (b *base) record(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.messages = append(b.messages, m)
}

// wait sleeps for the mode's delay, or forever for Hang, returning false
// when the client went away or the fake closed first.
func (b *base) wait(r *http.Request, m Mode) bool {
	var timer <-chan time.Time
	switch {
	case m.kind == kindHang:
	case m.delay > 0:
		timer = time.After(m.delay)
	default:
		return true
	}
	select {
	case <-timer:
		return true
	case <-r.Context().Done():
	case <-b.closed:
	}
	return false
}

func (b *base) release() { b.once.Do(func() { close(b.closed) }) }
