package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/authd/authd/cmd/authd/wiring"
)

// healthcheckTimeout bounds the whole probe: a container runtime runs the
// HEALTHCHECK on its own schedule and a hung probe would hide a hung server.
const healthcheckTimeout = 3 * time.Second

// healthcheck asks the running server's /healthz on AUTHD_HTTP_ADDR and
// fails unless it answers 200. It exists because the image is FROM scratch:
// there is no curl or wget for a HEALTHCHECK to call.
func healthcheck(ctx context.Context, s wiring.Settings, args []string, stdout io.Writer) error {
	if len(args) != 0 {
		return usageError("usage: authd healthcheck")
	}
	url, err := healthzURL(s.HTTPAddr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// A fresh transport: no proxy from the environment (HTTP_PROXY must not
	// redirect a loopback probe) and no idle connections kept.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: status %d", url, resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

// healthzURL turns a listen address into the URL a local probe can reach: a
// wildcard or empty host ("":8080, 0.0.0.0, ::) is reached on loopback.
func healthzURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("AUTHD_HTTP_ADDR %q: %w", listen, err)
	}
	if port == "" || port == "0" {
		return "", fmt.Errorf("AUTHD_HTTP_ADDR %q: no fixed port to probe", listen)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
