package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"
)

// scenario is one row of the table: prepare does the untimed setup on a
// fresh server and returns the timed step.
type scenario struct {
	name    string
	summary string
	floor   string   // the floor row its throughput is compared with
	codes   bool     // needs the console codes
	sms     string   // the SMS path its server sends through; "" is --sms
	env     []string // AUTHD_* settings of its server beyond the bench's
	prepare func(ctx context.Context, e *env, conc int) (step, error)
}

// env is what a scenario's setup and steps use.
type env struct {
	c         *client
	codes     *codebook
	phones    *phoneGen
	pool      int // prepared codes for the code-consuming scenarios
	setupConc int
	progress  func(format string, args ...any)
}

// password is set on the password-login users: long and random enough for
// the strength check, with nothing JSON would escape.
const password = "Bench-7qZ!v3Lx-pR9wK2m"

var scenarios = []scenario{
	{name: "request-code", summary: "POST /v1/sms/codes, a new phone each request", floor: "floor-request-code", sms: smsConsole,
		prepare: prepareRequestCode},
	// Against request-code (guard on, the default): the abuse guard's cost,
	// which issue 9 caps at 15% (docs/abuse.md).
	{name: "request-code-guard-off", summary: "request-code with AUTHD_SMS_GUARD=off (request-code runs it on)", floor: "request-code",
		sms: smsConsole, env: []string{"AUTHD_SMS_GUARD=off"}, prepare: prepareRequestCode},
	// The bench's traffic (one IP, consecutive numbers, none entered) is
	// what the guard is built to refuse; observe runs every rule and counter
	// on every send and refuses nothing: the guard's cost on allowed sends.
	{name: "request-code-guard-observe", summary: "request-code with AUTHD_SMS_GUARD=observe (judged and counted, never refused)", floor: "request-code-guard-off",
		sms: smsConsole, env: []string{"AUTHD_SMS_GUARD=observe"}, prepare: prepareRequestCode},
	{name: "request-code-vendor", summary: "request-code through authd's Tencent sender to a local stub of SendSms", floor: "request-code",
		sms: smsTencent, prepare: prepareRequestCode},
	{name: "request-code-vendor-aliyun", summary: "request-code through authd's Aliyun sender to a local stub of dysmsapi SendSms", floor: "request-code",
		sms: smsAliyun, prepare: prepareRequestCode},
	{name: "login-new", summary: "POST /v1/sessions/sms registering a new phone (codes requested in setup)", floor: "floor-login-new",
		codes: true, prepare: prepareLoginNew},
	{name: "login-returning", summary: "POST /v1/sessions/sms for registered users (fresh codes requested in setup)",
		codes: true, prepare: prepareLoginReturning},
	{name: "password-login", summary: "POST /v1/sessions/password (argon2id verify) over a pool of users", floor: "argon2id-raw",
		codes: true, prepare: preparePasswordLogin},
	{name: "refresh", summary: "POST /v1/tokens/refresh, each worker rotating its own token family",
		codes: true, prepare: prepareRefresh},
	{name: "me", summary: "GET /v1/me with a pool of access tokens", codes: true, prepare: prepareMe},
	{name: "mixed", summary: "per virtual user: send code, log in (new), GET /v1/me, refresh; every request counted",
		codes: true, prepare: prepareMixed},
}

// floorScenarios run against the floor server.
var floorScenarios = []scenario{
	{name: "floor-request-code", summary: "bare Fiber: JSON in, one Redis Lua round trip, 202 JSON", prepare: prepareFloorCode},
	{name: "floor-login-new", summary: "bare Fiber: one Redis Lua round trip, one Postgres INSERT (CTE), Ed25519 signature, 201 JSON",
		prepare: prepareFloorLogin},
}

// phoneGen hands out distinct +86 139 numbers from a random start, so
// repeated runs against one --url server rarely collide.
type phoneGen struct{ n atomic.Int64 }

func newPhoneGen() *phoneGen {
	g := &phoneGen{}
	g.n.Store(rand.Int64N(50_000_000))
	return g
}

func (g *phoneGen) next() string {
	return "+86139" + fmt.Sprintf("%08d", g.n.Add(1)%100_000_000)
}

func codeBody(phone string) []byte {
	return []byte(`{"phone":"` + phone + `","purpose":"login"}`)
}

func loginBody(phone, code string) []byte {
	return []byte(`{"phone":"` + phone + `","code":"` + code + `"}`)
}

func refreshBody(token string) []byte { return []byte(`{"refresh_token":"` + token + `"}`) }

// session is a logged-in user.
type session struct{ phone, access, refresh string }

func parseSession(phone string, body []byte) (session, error) {
	access, ok1 := jsonString(body, "access_token")
	refresh, ok2 := jsonString(body, "refresh_token")
	if !ok1 || !ok2 {
		return session{}, fmt.Errorf("no tokens in %.200s", body)
	}
	return session{phone: phone, access: access, refresh: refresh}, nil
}

// item is a phone with a code waiting for it.
type item struct{ phone, code string }

func (e *env) requestCodeFor(ctx context.Context, phone string) (string, error) {
	if _, err := e.c.expect(202, "POST", "/v1/sms/codes", codeBody(phone), ""); err != nil {
		return "", err
	}
	return e.codes.take(ctx, phone, 10*time.Second)
}

// register logs a new phone in, creating its user.
func (e *env) register(ctx context.Context, phone string) (session, error) {
	code, err := e.requestCodeFor(ctx, phone)
	if err != nil {
		return session{}, err
	}
	body, err := e.c.expect(201, "POST", "/v1/sessions/sms", loginBody(phone, code), "")
	if err != nil {
		return session{}, err
	}
	return parseSession(phone, body)
}

func (e *env) registerMany(ctx context.Context, n int) ([]session, error) {
	out := make([]session, n)
	err := parallel(ctx, n, e.setupConc, func(i int) (err error) {
		out[i], err = e.register(ctx, e.phones.next())
		return err
	})
	return out, err
}

// codesFor requests a code for every phone and collects them.
func (e *env) codesFor(ctx context.Context, phones []string) ([]item, error) {
	items := make([]item, len(phones))
	err := parallel(ctx, len(phones), e.setupConc, func(i int) error {
		code, err := e.requestCodeFor(ctx, phones[i])
		items[i] = item{phones[i], code}
		return err
	})
	return items, err
}

// poolStep hands each item to one request; the pool running dry ends the run.
func poolStep(items []item, fn func(it item, rec *recorder)) step {
	var next atomic.Int64
	return func(_ context.Context, _ int, rec *recorder) error {
		i := int(next.Add(1) - 1)
		if i >= len(items) {
			return errPoolDry
		}
		fn(items[i], rec)
		return nil
	}
}

func prepareRequestCode(_ context.Context, e *env, _ int) (step, error) {
	return func(_ context.Context, _ int, rec *recorder) error {
		e.c.timed(rec, 202, "POST", "/v1/sms/codes", codeBody(e.phones.next()), "", false)
		return nil
	}, nil
}

func prepareLoginNew(ctx context.Context, e *env, _ int) (step, error) {
	phones := make([]string, e.pool)
	for i := range phones {
		phones[i] = e.phones.next()
	}
	e.progress("requesting %d codes", len(phones))
	items, err := e.codesFor(ctx, phones)
	if err != nil {
		return nil, err
	}
	return poolStep(items, func(it item, rec *recorder) {
		e.c.timed(rec, 201, "POST", "/v1/sessions/sms", loginBody(it.phone, it.code), "", false)
	}), nil
}

func prepareLoginReturning(ctx context.Context, e *env, _ int) (step, error) {
	e.progress("registering %d users", e.pool)
	users, err := e.registerMany(ctx, e.pool)
	if err != nil {
		return nil, err
	}
	// Every phone's last code was sent before registerMany returned; wait
	// out the resend cooldown (AUTHD_CODE_RESEND_AFTER=1s) once.
	time.Sleep(1100 * time.Millisecond)
	phones := make([]string, len(users))
	for i, u := range users {
		phones[i] = u.phone
	}
	e.progress("requesting %d fresh codes", len(phones))
	items, err := e.codesFor(ctx, phones)
	if err != nil {
		return nil, err
	}
	return poolStep(items, func(it item, rec *recorder) {
		e.c.timed(rec, 200, "POST", "/v1/sessions/sms", loginBody(it.phone, it.code), "", false)
	}), nil
}

func preparePasswordLogin(ctx context.Context, e *env, conc int) (step, error) {
	n := max(2*conc, 16)
	e.progress("registering %d users with passwords", n)
	users, err := e.registerMany(ctx, n)
	if err != nil {
		return nil, err
	}
	// Two at a time: authd hashes on one slot per CPU and answers 503 when
	// a caller waits too long for one.
	err = parallel(ctx, n, 2, func(i int) error {
		_, err := e.c.expect(204, "PUT", "/v1/me/password", []byte(`{"new_password":"`+password+`"}`), users[i].access)
		return err
	})
	if err != nil {
		return nil, err
	}
	var next atomic.Int64
	return func(_ context.Context, _ int, rec *recorder) error {
		u := users[int(next.Add(1))%n]
		e.c.timed(rec, 200, "POST", "/v1/sessions/password", []byte(`{"login":"`+u.phone+`","password":"`+password+`"}`), "", false)
		return nil
	}, nil
}

func prepareRefresh(ctx context.Context, e *env, conc int) (step, error) {
	e.progress("registering %d users", conc)
	users, err := e.registerMany(ctx, conc)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, w int, rec *recorder) error {
		body, ok := e.c.timed(rec, 200, "POST", "/v1/tokens/refresh", refreshBody(users[w].refresh), "", true)
		if ok {
			if tok, found := jsonString(body, "refresh_token"); found {
				users[w].refresh = tok
				return nil
			}
		}
		// The family is broken: start a new one, untimed.
		u, err := e.register(ctx, e.phones.next())
		users[w] = u
		return err
	}, nil
}

func prepareMe(ctx context.Context, e *env, _ int) (step, error) {
	const n = 64
	e.progress("registering %d users", n)
	users, err := e.registerMany(ctx, n)
	if err != nil {
		return nil, err
	}
	var next atomic.Int64
	return func(_ context.Context, _ int, rec *recorder) error {
		e.c.timed(rec, 200, "GET", "/v1/me", nil, users[int(next.Add(1))%n].access, false)
		return nil
	}, nil
}

func prepareMixed(_ context.Context, e *env, _ int) (step, error) {
	return func(ctx context.Context, _ int, rec *recorder) error {
		phone := e.phones.next()
		if _, ok := e.c.timed(rec, 202, "POST", "/v1/sms/codes", codeBody(phone), "", false); !ok {
			return nil
		}
		code, err := e.codes.take(ctx, phone, 10*time.Second)
		if err != nil {
			rec.fail("nocode")
			return nil
		}
		body, ok := e.c.timed(rec, 201, "POST", "/v1/sessions/sms", loginBody(phone, code), "", true)
		if !ok {
			return nil
		}
		s, err := parseSession(phone, body)
		if err != nil {
			rec.fail("badbody")
			return nil
		}
		e.c.timed(rec, 200, "GET", "/v1/me", nil, s.access, false)
		e.c.timed(rec, 200, "POST", "/v1/tokens/refresh", refreshBody(s.refresh), "", false)
		return nil
	}, nil
}

func prepareFloorCode(_ context.Context, e *env, _ int) (step, error) {
	return func(_ context.Context, _ int, rec *recorder) error {
		e.c.timed(rec, 202, "POST", "/codes", codeBody(e.phones.next()), "", false)
		return nil
	}, nil
}

func prepareFloorLogin(_ context.Context, e *env, _ int) (step, error) {
	var n atomic.Int64
	return func(_ context.Context, _ int, rec *recorder) error {
		code := strconv.Itoa(100000 + int(n.Add(1)%900000))
		e.c.timed(rec, 201, "POST", "/sessions", loginBody(e.phones.next(), code), "", false)
		return nil
	}, nil
}
