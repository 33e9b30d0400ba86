package adminapi

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestAuthAndConventions(t *testing.T) {
	f := newFixture(t)
	revoked, _, err := f.keys.Create(t.Context(), "old")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.keys.Revoke(t.Context(), "old"); err != nil {
		t.Fatal(err)
	}
	wrongSecret := f.key[:len(f.key)-4] + "AAAA"
	cases := []struct{ name, auth string }{
		{"missing", ""},
		{"not bearer", "Basic " + f.key},
		{"garbage", "Bearer nope"},
		{"unknown id", "Bearer authd_admin_00000000-0000-7000-8000-000000000000.secret"},
		{"wrong secret", "Bearer " + wrongSecret},
		{"revoked", "Bearer " + revoked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := f.do("GET", "/admin/v1/users", "", "Authorization", c.auth, "X-Request-ID", "req-1")
			f.want(r, 401, "invalid_token")
			if r.header.Get("WWW-Authenticate") == "" || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("headers = %v", r.header)
			}
			if r.header.Get("X-Request-ID") != "req-1" || r.body["request_id"] != "req-1" {
				t.Errorf("request id not echoed: %v %v", r.header.Get("X-Request-ID"), r.body["request_id"])
			}
		})
	}
	r := f.do("GET", "/admin/v1/users", "")
	f.want(r, 200, "")
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Pragma") != "no-cache" || r.header.Get("X-Request-ID") == "" {
		t.Errorf("headers = %v", r.header)
	}
	// Bodies must be declared JSON; a bad one is a problem, never a 500.
	f.want(f.do("POST", "/admin/v1/users", `{"phone":"13711112222"}`, "Content-Type", "text/plain"), 415, "unsupported_media_type")
	f.want(f.do("POST", "/admin/v1/users", `{"phone":`), 400, "invalid_request")
	f.want(f.do("POST", "/admin/v1/users", `[1]`), 400, "invalid_request")
	f.want(f.do("POST", "/admin/v1/users", `{"phone":"13711112222"}`, "Content-Encoding", "gzip"), 415, "unsupported_media_type")
}

func TestCreateAndGetUser(t *testing.T) {
	f := newFixture(t)
	r := f.do("POST", "/admin/v1/users", `{"phone":"137 1111 2222","username":"Alice","email":"a@example.com","password":"correct horse battery staple"}`)
	f.want(r, 201, "")
	b := r.body
	if b["phone"] != "+8613711112222" || b["username"] != "Alice" || b["email"] != "a@example.com" || b["has_password"] != true ||
		b["disabled"] != false || b["last_login_at"] != nil || b["updated_at"] == nil || b["icon"] != nil {
		t.Fatalf("user = %v", b)
	}
	id := b["id"].(string)
	g := f.do("GET", "/admin/v1/users/"+id, "")
	f.want(g, 200, "")
	if g.body["id"] != id || g.body["phone"] != "+8613711112222" {
		t.Errorf("get = %v", g.body)
	}
	gen := f.createUser(`{"phone":"+8613711113333"}`)
	if u := f.do("GET", "/admin/v1/users/"+gen, ""); !strings.HasPrefix(u.body["username"].(string), "user_") || u.body["has_password"] != false {
		t.Errorf("generated user = %v", u.body)
	}
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"phone taken", `{"phone":"+86 137 1111 2222"}`, 409, "phone_taken"},
		{"username taken", `{"phone":"13711114444","username":"alice"}`, 409, "username_taken"},
		{"email taken", `{"phone":"13711114444","email":"A@example.com"}`, 409, "email_taken"},
		{"no phone", `{"username":"bob"}`, 400, "invalid_request"},
		{"bad phone", `{"phone":"12"}`, 400, "invalid_phone"},
		{"bad username", `{"phone":"13711114444","username":"a b"}`, 400, "invalid_username"},
		{"phone-like username", `{"phone":"13711114444","username":"137-1111-5555"}`, 400, "invalid_username"},
		{"bad email", `{"phone":"13711114444","email":"nope"}`, 400, "invalid_email"},
		{"weak password", `{"phone":"13711114444","password":"password"}`, 400, "weak_password"},
		{"wrong type", `{"phone":13711114444}`, 400, "invalid_request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { f.want(f.do("POST", "/admin/v1/users", c.body), c.status, c.code) })
	}
	f.want(f.do("GET", "/admin/v1/users/0195aaaa-0000-7000-8000-000000000000", ""), 404, "not_found")
	f.want(f.do("GET", "/admin/v1/users/not%20an%20id", ""), 404, "not_found")
	evs, _, _ := f.store.ListEvents(t.Context(), ports.EventFilter{UserID: id}, "", 10)
	if len(evs) != 1 || evs[0].Type != domain.EventUserCreated || evs[0].Actor != "admin:ops" {
		t.Errorf("events = %+v, want one user.created by admin:ops", evs)
	}
}

func TestSearchAndPagination(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for i := range 5 {
		ids = append(ids, f.createUser(fmt.Sprintf(`{"phone":"1371111000%d","username":"member%d"}`, i, i)))
	}
	other := f.createUser(`{"phone":"13722220000","username":"Zed","email":"zed@example.com"}`)
	search := func(q string) []string {
		r := f.do("GET", "/admin/v1/users?query="+q, "")
		f.want(r, 200, "")
		var got []string
		for _, u := range list(r, "users") {
			got = append(got, u["id"].(string))
		}
		return got
	}
	if got := search("137%201111%200003"); len(got) != 1 || got[0] != ids[3] {
		t.Errorf("national phone with spaces = %v, want %s", got, ids[3])
	}
	if got := search("%2B8613711110002"); len(got) != 1 || got[0] != ids[2] {
		t.Errorf("E.164 phone = %v", got)
	}
	if got := search("MEMBER"); len(got) != 5 || got[0] != ids[4] {
		t.Errorf("prefix = %v, want the five members newest first", got)
	}
	if got := search("ZED%40"); len(got) != 1 || got[0] != other {
		t.Errorf("email prefix = %v", got)
	}
	if got := search("member_"); len(got) != 0 {
		t.Errorf("_ is not a wildcard: %v", got)
	}
	// Pages by 2 while users are added: every old user once, in order.
	var seen []string
	cursor := ""
	for range 10 {
		r := f.do("GET", "/admin/v1/users?query=member&limit=2&cursor="+cursor, "")
		f.want(r, 200, "")
		for _, u := range list(r, "users") {
			seen = append(seen, u["id"].(string))
		}
		f.createUser(fmt.Sprintf(`{"phone":"1373333000%d","username":"member_new%d"}`, len(seen), len(seen)))
		next, ok := r.body["next_cursor"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	if strings.Join(seen, ",") != strings.Join([]string{ids[4], ids[3], ids[2], ids[1], ids[0]}, ",") {
		t.Errorf("paged = %v, want %v reversed", seen, ids)
	}
	for _, q := range []string{"limit=0", "limit=-1", "limit=x", "cursor=zz%27", "cursor=" + strings.Repeat("a", 65)} {
		f.want(f.do("GET", "/admin/v1/users?"+q, ""), 400, "invalid_request")
	}
	f.want(f.do("GET", "/admin/v1/users?limit=100000", ""), 200, "")
}

func TestUpdateUser(t *testing.T) {
	f := newFixture(t)
	id := f.createUser(`{"phone":"13711112222","email":"a@example.com"}`)
	f.createUser(`{"phone":"13711113333","username":"taken"}`)
	_, refresh := f.login(id, "0195ffff-0000-7000-8000-000000000001")
	r := f.do("PATCH", "/admin/v1/users/"+id, `{"username":"renamed","email":null,"icon":"https://x.example/i.png"}`)
	f.want(r, 200, "")
	if r.body["username"] != "renamed" || r.body["email"] != nil || r.body["icon"] != "https://x.example/i.png" {
		t.Fatalf("user = %v", r.body)
	}
	r = f.do("PATCH", "/admin/v1/users/"+id, `{"disabled":true}`)
	f.want(r, 200, "")
	if r.body["disabled"] != true {
		t.Fatalf("user = %v", r.body)
	}
	if tok, err := f.store.Get(t.Context(), hashOf(refresh)); err != nil || tok.RevokedAt.IsZero() {
		t.Errorf("disabling left the session's refresh token live: %+v %v", tok, err)
	}
	f.want(f.do("PATCH", "/admin/v1/users/"+id, `{"disabled":false,"phone":"+86 137 1111 9999"}`), 200, "")
	u := f.do("GET", "/admin/v1/users/"+id, "")
	if u.body["disabled"] != false || u.body["phone"] != "+8613711119999" {
		t.Errorf("user = %v", u.body)
	}
	evs, _, _ := f.store.ListEvents(t.Context(), ports.EventFilter{UserID: id}, "", 20)
	var types []string
	for _, e := range evs {
		if e.Actor != "admin:ops" {
			t.Errorf("event %s actor %q", e.Type, e.Actor)
		}
		types = append(types, string(e.Type))
	}
	want := "user.enabled,session.ended,phone.changed,session.ended,user.disabled,user.updated,user.created"
	if got := strings.Join(types, ","); got != want {
		t.Errorf("events = %s\nwant %s", got, want)
	}
	cases := []struct {
		body   string
		status int
		code   string
	}{
		{`{"username":"TAKEN"}`, 409, "username_taken"},
		{`{"phone":"13711113333"}`, 409, "phone_taken"},
		{`{"username":null}`, 400, "invalid_request"},
		{`{"disabled":"yes"}`, 400, "invalid_request"},
		{`{"disabled":null}`, 400, "invalid_request"},
		{`{"icon":"javascript:alert(1)"}`, 400, "invalid_request"},
		{`{"email":"bad"}`, 400, "invalid_email"},
		{`{"phone":"1"}`, 400, "invalid_phone"},
	}
	for _, c := range cases {
		f.want(f.do("PATCH", "/admin/v1/users/"+id, c.body), c.status, c.code)
	}
	f.want(f.do("PATCH", "/admin/v1/users/0195aaaa-0000-7000-8000-000000000000", `{"disabled":true}`), 404, "not_found")
}

func TestSessionsAndDelete(t *testing.T) {
	f := newFixture(t)
	id := f.createUser(`{"phone":"13711112222"}`)
	f.login(id, "0195ffff-0000-7000-8000-000000000001")
	f.login(id, "0195ffff-0000-7000-8000-000000000002")
	r := f.do("GET", "/admin/v1/users/"+id+"/sessions", "")
	f.want(r, 200, "")
	ss := list(r, "sessions")
	if len(ss) != 2 || ss[0]["id"] != "0195ffff-0000-7000-8000-000000000002" || ss[0]["user_agent"] != "app/1" {
		t.Fatalf("sessions = %v", ss)
	}
	f.want(f.do("DELETE", "/admin/v1/users/"+id+"/sessions", ""), 204, "")
	if ss := list(f.do("GET", "/admin/v1/users/"+id+"/sessions", ""), "sessions"); len(ss) != 0 {
		t.Errorf("sessions after ending = %v", ss)
	}
	f.want(f.do("DELETE", "/admin/v1/users/"+id, ""), 204, "")
	f.want(f.do("GET", "/admin/v1/users/"+id, ""), 404, "not_found")
	f.want(f.do("DELETE", "/admin/v1/users/"+id, ""), 404, "not_found")
	f.want(f.do("GET", "/admin/v1/users/"+id+"/sessions", ""), 404, "not_found")
	// The phone can register again.
	f.createUser(`{"phone":"13711112222"}`)
}

func TestEventsAndAttempts(t *testing.T) {
	f := newFixture(t)
	a := f.createUser(`{"phone":"13711112222"}`)
	b := f.createUser(`{"phone":"13711113333"}`)
	f.want(f.do("PATCH", "/admin/v1/users/"+a, `{"disabled":true}`), 200, "")
	r := f.do("GET", "/admin/v1/events?user_id="+a+"&type=user.disabled", "")
	f.want(r, 200, "")
	evs := list(r, "events")
	if len(evs) != 1 || evs[0]["actor"] != "admin:ops" || evs[0]["user_id"] != a {
		t.Fatalf("events = %v", evs)
	}
	r = f.do("GET", "/admin/v1/events?limit=1", "")
	if len(list(r, "events")) != 1 || r.body["next_cursor"] == nil {
		t.Fatalf("first page = %v", r.raw)
	}
	r = f.do("GET", "/admin/v1/events?type=user.created&since="+time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), "")
	if evs := list(r, "events"); len(evs) != 2 || evs[0]["user_id"] != b {
		t.Errorf("since = %v", evs)
	}
	f.want(f.do("GET", "/admin/v1/events?since=yesterday", ""), 400, "invalid_request")

	for n, phone := range []string{"+8613711112222", "+8613711112222", "+8613799990000"} {
		err := f.store.Record(t.Context(), ports.SendAttempt{ID: fmt.Sprintf("0195aaaa-0000-7000-8000-00000000000%d", n),
			MessageID: "m", Provider: "console", Phone: phone, Purpose: "login", Status: ports.SendStatusSent, CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
	}
	r = f.do("GET", "/admin/v1/sms/attempts?phone=137-1111-2222", "")
	f.want(r, 200, "")
	at := list(r, "attempts")
	if len(at) != 2 || at[0]["id"] != "0195aaaa-0000-7000-8000-000000000001" || at[0]["provider"] != "console" || at[0]["receipt"] != nil {
		t.Errorf("attempts = %v", at)
	}
	f.want(f.do("GET", "/admin/v1/sms/attempts?phone=x", ""), 400, "invalid_phone")
}

func TestIntrospect(t *testing.T) {
	f := newFixture(t)
	id := f.createUser(`{"phone":"13711112222"}`)
	access, refresh := f.login(id, "0195ffff-0000-7000-8000-000000000001")
	introspect := func(body, contentType string) map[string]any {
		t.Helper()
		r := f.do("POST", "/admin/v1/tokens/introspect", body, "Content-Type", contentType)
		f.want(r, 200, "")
		return r.body
	}
	js := func(tok string) map[string]any { return introspect(`{"token":"`+tok+`"}`, "application/json") }
	a := js(access)
	if a["active"] != true || a["token_type"] != "access_token" || a["sub"] != id || a["sid"] != "0195ffff-0000-7000-8000-000000000001" ||
		a["iss"] != "authd" || a["aud"] != "authd" || a["exp"] == nil || a["iat"] == nil {
		t.Fatalf("access = %v", a)
	}
	if r := introspect("token="+refresh, "application/x-www-form-urlencoded"); r["active"] != true || r["token_type"] != "refresh_token" || r["sub"] != id {
		t.Fatalf("refresh (form) = %v", r)
	}
	for _, tok := range []string{"nope", "a.b.c", access + "x", strings.Repeat("x", 5000)} {
		if r := js(tok); len(r) != 1 || r["active"] != false {
			t.Errorf("%.20s... = %v, want only active:false", tok, r)
		}
	}
	f.want(f.do("POST", "/admin/v1/tokens/introspect", `{}`), 400, "invalid_request")
	f.want(f.do("POST", "/admin/v1/tokens/introspect", `token=x`, "Content-Type", "text/plain"), 415, "unsupported_media_type")
	// Ending the session makes both inactive at once, though the JWT has not expired.
	f.want(f.do("DELETE", "/admin/v1/users/"+id+"/sessions", ""), 204, "")
	if js(access)["active"] != false || js(refresh)["active"] != false {
		t.Error("tokens of an ended session are active")
	}
	access2, _ := f.login(id, "0195ffff-0000-7000-8000-000000000002")
	f.want(f.do("PATCH", "/admin/v1/users/"+id, `{"disabled":true}`), 200, "")
	if js(access2)["active"] != false {
		t.Error("a disabled user's token is active")
	}
}
