// authd demo client: plain fetch, tokens kept in memory only (a real app
// would keep the refresh token where its platform keeps secrets).
"use strict";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$("api").value = params.get("api") || "http://127.0.0.1:8080";

let tokens = null; // {access_token, refresh_token}

function status(text) { $("status").textContent = text; }

// call sends JSON and returns the decoded body; errors carry the problem
// details' code (or the browser's message when the request never got an
// answer, e.g. a CORS refusal).
async function call(method, path, body, auth) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth) headers["Authorization"] = "Bearer " + tokens.access_token;
  let resp;
  try {
    resp = await fetch($("api").value.replace(/\/$/, "") + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new Error("network error (is this origin in AUTHD_CORS_ALLOWED_ORIGINS?): " + e.message);
  }
  const text = await resp.text();
  const data = text ? JSON.parse(text) : null;
  if (!resp.ok) {
    const retry = resp.headers.get("Retry-After");
    throw new Error(resp.status + " " + (data && data.code) + (retry ? " (retry after " + retry + " s)" : "") +
      " request " + resp.headers.get("X-Request-ID"));
  }
  return data;
}

function run(fn) {
  return async () => {
    try { await fn(); } catch (e) { status("error: " + e.message); }
  };
}

async function showMe() {
  const me = await call("GET", "/v1/me", undefined, true);
  $("me").textContent = JSON.stringify(me, null, 2);
}

$("send").onclick = run(async () => {
  status("sending...");
  const r = await call("POST", "/v1/sms/codes", { phone: $("phone").value });
  status("code sent to " + r.phone);
});

// The demo server forwards this to authd's admin listener, which keeps the
// console provider's recent messages; a real app reads the SMS instead.
$("fetch-code").onclick = run(async () => {
  const resp = await fetch("console/messages?phone=" + encodeURIComponent($("phone").value));
  const data = await resp.json();
  if (!resp.ok || !data.messages || data.messages.length === 0) throw new Error("no message yet");
  $("code").value = data.messages[0].code;
  status("code read from the console provider");
});

$("login").onclick = run(async () => {
  const r = await call("POST", "/v1/sessions/sms", { phone: $("phone").value, code: $("code").value });
  tokens = { access_token: r.access_token, refresh_token: r.refresh_token };
  status(r.created ? "logged in (new account)" : "logged in");
  await showMe();
});

$("me-btn").onclick = run(showMe);

$("refresh").onclick = run(async () => {
  const r = await call("POST", "/v1/tokens/refresh", { refresh_token: tokens.refresh_token });
  tokens = { access_token: r.access_token, refresh_token: r.refresh_token };
  status("refreshed");
  await showMe();
});

$("logout").onclick = run(async () => {
  await call("POST", "/v1/sessions/logout", { refresh_token: tokens.refresh_token });
  tokens = null;
  $("me").textContent = "";
  status("logged out");
});
