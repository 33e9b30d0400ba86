package harness

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Response is a decoded HTTP response.
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// Code is the problem code of an error response ("" for success bodies).
func (r Response) Code() string { s, _ := r.JSON["code"].(string); return s }

// Str returns a string member of the body.
func (r Response) Str(key string) string { s, _ := r.JSON[key].(string); return s }

// User returns the "user" member of a session body.
func (r Response) User() map[string]any { u, _ := r.JSON["user"].(map[string]any); return u }

// Client calls one instance.
type Client struct {
	t      testing.TB
	base   string
	http   *http.Client
	Header http.Header // sent with every request
}

// Client returns a client for the instance.
func (i *Instance) Client(t testing.TB) *Client {
	return &Client{t: t, base: i.URL, http: &http.Client{Timeout: 30 * time.Second}, Header: http.Header{}}
}

// AdminClient returns a client for the instance's admin listener.
func (i *Instance) AdminClient(t testing.TB) *Client {
	return &Client{t: t, base: i.AdminURL, http: &http.Client{Timeout: 30 * time.Second}, Header: http.Header{}}
}

// Do sends body (a string is sent as is, anything else as JSON) and
// decodes the answer. headers are "Name: value" pairs.
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range c.Header {
		req.Header[k] = vs
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.JSON); err != nil {
			c.t.Fatalf("%s %s: body is not JSON: %v: %s", method, path, err, raw)
		}
	}
	return out
}

// Post is Do with POST.
func (c *Client) Post(path string, body any, headers ...string) Response {
	c.t.Helper()
	return c.Do(http.MethodPost, path, body, headers...)
}

// Get is Do with GET.
func (c *Client) Get(path string, headers ...string) Response {
	c.t.Helper()
	return c.Do(http.MethodGet, path, nil, headers...)
}
