package main

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/redis/rueidis"
)

// The floors are what a bare Fiber handler doing the same unavoidable I/O
// achieves on this machine; authd's throughput is reported as a share of them.

// floorIssue is comparable to rediscode's issue script: the cooldown SET NX
// PX, the digest SET PX, and the hourly and daily counters with expiry.
var floorIssue = rueidis.NewLuaScript(`
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], 3600000) end
if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], 86400000) end
return 0
`)

const floorSchema = `
CREATE TABLE floor_users (id uuid PRIMARY KEY, phone text NOT NULL UNIQUE, username text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE floor_tokens (id bigserial PRIMARY KEY, user_id uuid NOT NULL REFERENCES floor_users (id),
  token_hash bytea NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL);`

const floorInsert = `WITH u AS (INSERT INTO floor_users (id, phone, username) VALUES ($1, $2, $3) RETURNING id)
INSERT INTO floor_tokens (user_id, token_hash, expires_at) SELECT id, $4, now() + interval '30 days' FROM u`

type floorServer struct {
	rc     rueidis.Client
	db     *sql.DB
	prefix string
	secret []byte
	key    ed25519.PrivateKey
}

// floorMain is `authbench floor`: the floor server, run as its own process
// so it has the CPUs on the same terms as authd. It makes and drops its own
// database and Redis keys.
func floorMain(args []string) int {
	fs := flag.NewFlagSet("authbench floor", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:18090", "listen address")
	pg := fs.String("postgres", defaultPostgres, "Postgres admin URL")
	redisURL := fs.String("redis", defaultRedis, "Redis URL")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := runFloor(*listen, *pg, *redisURL); err != nil {
		fmt.Fprintln(os.Stderr, "authbench floor:", err)
		return 1
	}
	return 0
}

func runFloor(listen, pg, redisURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	rc, err := openRedis(redisURL)
	if err != nil {
		return err
	}
	defer rc.Close()
	f := &floorServer{rc: rc, prefix: "authbench-floor-" + randHex(6), secret: []byte(randHex(32))}
	defer func() {
		if err := deleteKeys(context.Background(), redisURL, f.prefix); err != nil {
			fmt.Fprintln(os.Stderr, "authbench floor: delete redis keys:", err)
		}
	}()
	name := "authd_bench_floor_" + randHex(6)
	dsn, err := createDatabase(ctx, pg, name)
	if err != nil {
		return err
	}
	defer func() {
		if err := dropDatabase(context.Background(), pg, name); err != nil {
			fmt.Fprintln(os.Stderr, "authbench floor: drop database:", err)
		}
	}()
	f.db = openPostgres(dsn, 20)        // authd's default pool on Postgres
	defer func() { _ = f.db.Close() }() // before the drop above
	if _, err := f.db.ExecContext(ctx, floorSchema); err != nil {
		return err
	}
	if _, f.key, err = ed25519.GenerateKey(rand.Reader); err != nil {
		return err
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendStatus(200) })
	app.Post("/codes", f.requestCode)
	app.Post("/sessions", f.login)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	served := make(chan error, 1)
	go func() { served <- app.Listen(listen) }()
	select {
	case err := <-served:
		return err
	case <-sig:
	}
	return app.ShutdownWithTimeout(10 * time.Second)
}

type floorIn struct {
	Phone   string `json:"phone"`
	Purpose string `json:"purpose"`
	Code    string `json:"code"`
}

// issue is the one Redis round trip both floors pay.
func (f *floorServer) issue(ctx context.Context, phone, purpose string) (int64, error) {
	var n [4]byte
	_, _ = rand.Read(n[:])
	code := strconv.Itoa(100000 + int(binary.BigEndian.Uint32(n[:])%900000))
	mac := hmac.New(sha256.New, f.secret)
	mac.Write([]byte(phone + "\x00" + purpose + "\x00" + code))
	base := f.prefix + ":{" + phone + "}:"
	return floorIssue.Exec(ctx, f.rc, []string{base + "code:" + purpose, base + "cooldown:" + purpose, base + "hour", base + "day"},
		[]string{string(mac.Sum(nil)), "300000", "1000"}).AsInt64()
}

func (f *floorServer) requestCode(c *fiber.Ctx) error {
	var in floorIn
	if err := json.Unmarshal(c.Body(), &in); err != nil || in.Phone == "" {
		return c.SendStatus(400)
	}
	in.Purpose = "login"
	r, err := f.issue(c.UserContext(), in.Phone, in.Purpose)
	if err != nil {
		return c.SendStatus(503)
	}
	if r != 0 {
		return c.SendStatus(429)
	}
	return c.Status(202).JSON(fiber.Map{"phone": in.Phone, "purpose": in.Purpose, "expires_in": 300, "resend_after": 1})
}

func (f *floorServer) login(c *fiber.Ctx) error {
	var in floorIn
	if err := json.Unmarshal(c.Body(), &in); err != nil || in.Phone == "" || in.Code == "" {
		return c.SendStatus(400)
	}
	ctx := c.UserContext()
	if _, err := f.issue(ctx, in.Phone, "floorlogin"); err != nil {
		return c.SendStatus(503)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return c.SendStatus(500)
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	hash := sha256.Sum256(raw[:])
	username := "u_" + randHex(6)
	if _, err := f.db.ExecContext(ctx, floorInsert, id.String(), in.Phone, username, hash[:]); err != nil {
		return c.SendStatus(503)
	}
	now := time.Now()
	access, err := f.sign(id.String(), now)
	if err != nil {
		return c.SendStatus(500)
	}
	return c.Status(201).JSON(fiber.Map{
		"access_token": access, "token_type": "Bearer", "expires_in": 900,
		"refresh_token": base64.RawURLEncoding.EncodeToString(raw[:]), "refresh_expires_in": 2592000, "created": true,
		"user": fiber.Map{"id": id.String(), "username": username, "phone": in.Phone, "email": nil, "icon": nil,
			"has_password": false, "created_at": now.UTC().Format(time.RFC3339)},
	})
}

// sign makes an EdDSA JWT with authd's claims.
func (f *floorServer) sign(sub string, now time.Time) (string, error) {
	claims, err := json.Marshal(map[string]any{"iss": "authd", "aud": "authd", "sub": sub,
		"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": randHex(16)})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(`{"alg":"EdDSA","kid":"floor","typ":"at+jwt"}`)) + "." + enc.EncodeToString(claims)
	return input + "." + enc.EncodeToString(ed25519.Sign(f.key, []byte(input))), nil
}

// startFloor runs this binary's floor subcommand on a free port.
func startFloor(ctx context.Context, cfg config) (*target, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "floor", "--listen", addr, "--postgres", cfg.postgres, "--redis", cfg.redis)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	p, err := startProc(cmd)
	if err != nil {
		return nil, err
	}
	t := &target{url: "http://" + addr, pid: cmd.Process.Pid, stop: p.stop}
	if err := p.waitReady(ctx, t.url, "/healthz"); err != nil {
		_ = p.stop() // the start-up error is the one to report
		return nil, err
	}
	return t, nil
}
