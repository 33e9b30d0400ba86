package main

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// fakeAuthd answers the routes the scenarios use, printing each code on a
// "console" that feeds the codebook, as authd's console provider does.
func fakeAuthd(t *testing.T, codes *codebook) string {
	t.Helper()
	var n atomic.Int64
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/v1/sms/codes", func(c *fiber.Ctx) error {
		var in struct{ Phone string }
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return c.SendStatus(400)
		}
		code := strconv.Itoa(100000 + int(n.Add(1)))
		codes.line([]byte(`{"msg":"sms.console","phone":"` + in.Phone + `","purpose":"login","code":"` + code + `"}`))
		return c.Status(202).JSON(fiber.Map{"phone": in.Phone})
	})
	session := func(status int) fiber.Handler {
		return func(c *fiber.Ctx) error {
			tok := strconv.Itoa(int(n.Add(1)))
			return c.Status(status).JSON(fiber.Map{"access_token": "a" + tok, "refresh_token": "r" + tok})
		}
	}
	app.Post("/v1/sessions/sms", session(201))
	app.Post("/v1/tokens/refresh", session(200))
	app.Get("/v1/me", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"id": "x"}) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestRunPassSmoke(t *testing.T) {
	codes := newCodebook()
	tgt := &target{url: fakeAuthd(t, codes), codes: codes, stop: func() error { return nil }}
	cfg := config{concurrency: 4, concurrencyP99: 2, duration: 300 * time.Millisecond, poolRate: 100}
	for _, s := range scenarios {
		if s.name == "password-login" || s.name == "login-returning" {
			continue // routes the fake does not have
		}
		t.Run(s.name, func(t *testing.T) {
			r := &Row{Scenario: s.name}
			if err := runPass(context.Background(), cfg, s, 4, tgt, newPhoneGen(), r); err != nil {
				t.Fatal(err)
			}
			p := r.Passes[0]
			if p.OK == 0 || len(p.Errors) != 0 || p.RPS <= 0 || p.P99Ms < p.P50Ms {
				t.Fatalf("pass %+v", p)
			}
			if s.name == "login-new" && !p.PoolDry {
				t.Fatalf("a 30-code pool at 4 workers for 300ms should run dry: %+v", p)
			}
		})
	}
}
