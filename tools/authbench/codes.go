package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// codebook keeps the latest login code per phone, as the console SMS
// provider prints them on authd's standard output.
type codebook struct {
	mu      sync.Mutex
	codes   map[string]string
	waiters map[string]chan struct{}
	other   int // non-code lines seen, echoed to stderr up to a limit
}

func newCodebook() *codebook {
	return &codebook{codes: map[string]string{}, waiters: map[string]chan struct{}{}}
}

func (b *codebook) put(phone, code string) {
	b.mu.Lock()
	b.codes[phone] = code
	if ch, ok := b.waiters[phone]; ok {
		close(ch)
		delete(b.waiters, phone)
	}
	b.mu.Unlock()
}

var errNoCode = errors.New("no code arrived on the console")

// take removes and returns the phone's code, waiting up to timeout for it
// to arrive: the 202 can overtake the console line through the pipe.
func (b *codebook) take(ctx context.Context, phone string, timeout time.Duration) (string, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		b.mu.Lock()
		if code, ok := b.codes[phone]; ok {
			delete(b.codes, phone)
			b.mu.Unlock()
			return code, nil
		}
		ch, ok := b.waiters[phone]
		if !ok {
			ch = make(chan struct{})
			b.waiters[phone] = ch
		}
		b.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return "", errNoCode
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// line handles one line of authd's standard output: login codes go into
// the book, the first few other lines (authd's warnings) to stderr.
func (b *codebook) line(l []byte) {
	if phone, purpose, code, ok := parseConsoleLine(l); ok {
		if purpose == "login" {
			b.put(phone, code)
		}
		return
	}
	b.mu.Lock()
	b.other++
	echo := b.other <= 20
	b.mu.Unlock()
	if echo {
		fmt.Fprintf(os.Stderr, "authd| %s\n", l)
	}
}

// parseConsoleLine extracts phone, purpose and code from a console SMS
// line ({"msg":"sms.console","phone":"+86...","purpose":"login","code":"123456",...}).
// It scans instead of unmarshalling: the generator shares the CPUs with the
// server, and these values never contain escapes.
func parseConsoleLine(l []byte) (phone, purpose, code string, ok bool) {
	if msg, _ := jsonString(l, "msg"); msg != "sms.console" {
		return "", "", "", false
	}
	phone, ok1 := jsonString(l, "phone")
	purpose, ok2 := jsonString(l, "purpose")
	code, ok3 := jsonString(l, "code")
	return phone, purpose, code, ok1 && ok2 && ok3 && phone != "" && code != ""
}

// jsonString finds the first `"key":"value"` member in a flat JSON text and
// returns value verbatim. It is for machine-written JSON whose values have
// no escapes (codes, phones, tokens); a value with a backslash is refused.
func jsonString(b []byte, key string) (string, bool) {
	pat := make([]byte, 0, len(key)+4)
	pat = append(append(append(pat, '"'), key...), '"', ':')
	for from := 0; ; {
		i := bytes.Index(b[from:], pat)
		if i < 0 {
			return "", false
		}
		rest := bytes.TrimLeft(b[from+i+len(pat):], " ")
		if len(rest) == 0 || rest[0] != '"' {
			from += i + len(pat)
			continue
		}
		end := bytes.IndexByte(rest[1:], '"')
		if end < 0 {
			return "", false
		}
		v := rest[1 : 1+end]
		if bytes.IndexByte(v, '\\') >= 0 {
			return "", false
		}
		return string(v), true
	}
}

// lineWriter splits what is written to it into lines for fn. It is the
// subprocess's Stdout, so os/exec owns the copying goroutine and Wait
// returns only once everything was read.
type lineWriter struct {
	fn  func([]byte)
	buf []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf = append(w.buf, p...)
			return n, nil
		}
		if len(w.buf) > 0 {
			w.fn(append(w.buf, p[:i]...))
			w.buf = w.buf[:0]
		} else {
			w.fn(p[:i])
		}
		p = p[i+1:]
	}
}

// follow feeds the lines appended to a file (a console log of a server
// started by someone else, --console-log) to fn until ctx ends.
func follow(ctx context.Context, path string, fn func([]byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		_ = f.Close()
		return err
	}
	go func() {
		defer func() { _ = f.Close() }()
		w := &lineWriter{fn: fn}
		buf := make([]byte, 64<<10)
		for ctx.Err() == nil {
			n, err := f.Read(buf)
			if n > 0 {
				_, _ = w.Write(buf[:n]) // never fails
			}
			if err != nil || n == 0 {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	return nil
}
