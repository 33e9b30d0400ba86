package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// openapiMethods are the operation keys of an OpenAPI path item.
var openapiMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// loadOpenAPI decodes the embedded document as a generic JSON tree.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(OpenAPI()))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not a JSON object: %v", err)
	}
	if dec.More() {
		t.Fatal("openapi.json has trailing data after the document")
	}
	return doc
}

// resolvePointer follows a local reference ("#/a/b~1c") through doc.
func resolvePointer(doc map[string]any, ref string) (any, bool) {
	if ref == "#" {
		return doc, true
	}
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// deref follows $ref chains until a non-reference object.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("expected an object, got %T", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		if v, ok = resolvePointer(doc, ref); !ok {
			t.Fatalf("$ref %q does not resolve", ref)
		}
	}
	t.Fatal("$ref chain too long")
	return nil
}

// collectRefs returns every $ref in the tree with the JSON path it is at.
func collectRefs(v any, at string, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "$ref" {
				if s, ok := child.(string); ok {
					out[at] = s
				}
				continue
			}
			collectRefs(child, at+"/"+k, out)
		}
	case []any:
		for i, child := range v {
			collectRefs(child, at+"/"+strconv.Itoa(i), out)
		}
	}
}

// documentedOperations lists "METHOD /path" for every operation in doc.
func documentedOperations(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("document has no paths object")
	}
	ops := map[string]map[string]any{}
	for p, item := range paths {
		m, ok := item.(map[string]any)
		if !ok {
			t.Fatalf("path item %s is not an object", p)
		}
		for _, method := range openapiMethods {
			if op, ok := m[method].(map[string]any); ok {
				ops[strings.ToUpper(method)+" "+p] = op
			}
		}
	}
	return ops
}

// fiberPathToOpenAPI turns Fiber's ":name<constraint>?" parameters into
// OpenAPI's "{name}".
func fiberPathToOpenAPI(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p): // escaped literal
			i++
			b.WriteByte(p[i])
		case c == ':':
			j := i + 1
			for j < len(p) && (p[j] == '_' || p[j] >= '0' && p[j] <= '9' || p[j] >= 'a' && p[j] <= 'z' || p[j] >= 'A' && p[j] <= 'Z') {
				j++
			}
			b.WriteString("{" + p[i+1:j] + "}")
			if j < len(p) && p[j] == '<' { // constraint, possibly with nested <> or escapes
				depth := 0
				for ; j < len(p); j++ {
					if p[j] == '\\' {
						j++
						continue
					}
					if p[j] == '<' {
						depth++
					} else if p[j] == '>' {
						depth--
						if depth == 0 {
							j++
							break
						}
					}
				}
			}
			if j < len(p) && p[j] == '?' {
				j++
			}
			i = j - 1
		case c == '*' || c == '+':
			b.WriteString("{wildcard}")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func TestFiberPathToOpenAPI(t *testing.T) {
	for in, want := range map[string]string{
		"/v1/me":                     "/v1/me",
		"/v1/sms/receipts/:provider": "/v1/sms/receipts/{provider}",
		"/v1/sms/receipts/:provider<regex(^(tencent|aliyun)$)>": "/v1/sms/receipts/{provider}",
		"/a/:id<int;min(1)>/b/:x?":                              "/a/{id}/b/{x}",
		"/.well-known/jwks.json":                                "/.well-known/jwks.json",
	} {
		if got := fiberPathToOpenAPI(in); got != want {
			t.Errorf("fiberPathToOpenAPI(%q) = %q, want %q", in, got, want)
		}
	}
}

// newDocServer builds a Server with no use cases: enough to list routes and
// serve the static endpoints.
func newDocServer(t *testing.T) *Server {
	t.Helper()
	reg := prometheus.NewRegistry()
	s, err := New(DefaultConfig(), Deps{Registry: reg, Gatherer: reg, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// servedRoutes lists "METHOD /openapi/path" for every route Fiber serves,
// leaving out middleware and the HEAD routes Fiber adds for each GET.
func servedRoutes(t *testing.T, s *Server) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range s.App().GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == "USE" {
			continue
		}
		out[r.Method+" "+fiberPathToOpenAPI(r.Path)] = true
	}
	if len(out) == 0 {
		t.Fatal("the server registers no routes")
	}
	return out
}

func TestOpenAPIDocumentIsWellFormed(t *testing.T) {
	doc := loadOpenAPI(t)
	v, _ := doc["openapi"].(string)
	if !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] == nil || info["version"] == nil {
		t.Error("info.title and info.version are required")
	}
	refs := map[string]string{}
	collectRefs(doc, "#", refs)
	if len(refs) == 0 {
		t.Fatal("document has no $ref at all; components are expected to be reused")
	}
	for at, ref := range refs {
		if _, ok := resolvePointer(doc, ref); !ok {
			t.Errorf("%s: $ref %q does not resolve within the document", at, ref)
		}
	}
	ids := map[string]string{}
	for key, op := range documentedOperations(t, doc) {
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s has no operationId", key)
		} else if prev, dup := ids[id]; dup {
			t.Errorf("operationId %q used by %s and %s", id, prev, key)
		}
		ids[id] = key
	}
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	ops := documentedOperations(t, doc)
	served := servedRoutes(t, newDocServer(t))
	var missing, extra []string
	for r := range served {
		if _, ok := ops[r]; !ok {
			missing = append(missing, r)
		}
	}
	for op := range ops {
		if !served[op] {
			extra = append(extra, op)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, r := range missing {
		t.Errorf("route %s is served but not in openapi.json", r)
	}
	for _, op := range extra {
		t.Errorf("openapi.json documents %s, which the server does not route", op)
	}
}

func TestOpenAPIProblemCodesComplete(t *testing.T) {
	doc := loadOpenAPI(t)
	problem := deref(t, doc, map[string]any{"$ref": "#/components/schemas/Problem"})
	props, _ := problem["properties"].(map[string]any)
	code, _ := props["code"].(map[string]any)
	enum, _ := code["enum"].([]any)
	documented := map[string]bool{}
	for _, c := range enum {
		if s, ok := c.(string); ok {
			documented[s] = true
		}
	}
	want := map[string]bool{"rate_limited": true, "weak_password": true, "internal": true,
		"sms_blocked": true, "captcha_required": true, "sms_budget_exhausted": true} // typed errors, matched before the table
	for _, m := range errorTable {
		want[m.code] = true
	}
	for _, c := range fiberCodes {
		want[c] = true
	}
	for c := range want {
		if !documented[c] {
			t.Errorf("problem code %q is not in components.schemas.Problem.properties.code.enum", c)
		}
	}
	for c := range documented {
		if !want[c] {
			t.Errorf("Problem.code enum lists %q, which errors.go never produces", c)
		}
	}
}

// TestOpenAPIResponses checks the conventions every operation must follow:
// X-Request-ID on each response, problem+json errors, Retry-After on 429,
// WWW-Authenticate on 401s that can be invalid_token, bearerAuth on /v1/me*.
func TestOpenAPIResponses(t *testing.T) {
	doc := loadOpenAPI(t)
	for key, op := range documentedOperations(t, doc) {
		responses, _ := op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s documents no responses", key)
			continue
		}
		hasSuccess := false
		for status, r := range responses {
			resp := deref(t, doc, r)
			where := key + " " + status
			if _, ok := resp["description"].(string); !ok {
				t.Errorf("%s: response has no description", where)
			}
			headers, _ := resp["headers"].(map[string]any)
			if h, ok := headers["X-Request-ID"].(map[string]any); !ok || h["$ref"] != "#/components/headers/X-Request-ID" {
				t.Errorf("%s: no X-Request-ID header (components/headers/X-Request-ID)", where)
			}
			if strings.HasPrefix(status, "2") {
				hasSuccess = true
				continue
			}
			content, _ := resp["content"].(map[string]any)
			media, ok := content["application/problem+json"].(map[string]any)
			if !ok || len(content) != 1 {
				t.Errorf("%s: an error must be application/problem+json only", where)
				continue
			}
			schemaJSON, _ := json.Marshal(media["schema"])
			if !strings.Contains(string(schemaJSON), `"#/components/schemas/Problem"`) {
				t.Errorf("%s: error schema does not use components/schemas/Problem", where)
			}
			switch status {
			case "429":
				if _, ok := headers["Retry-After"]; !ok {
					t.Errorf("%s: 429 without a Retry-After header", where)
				}
			case "401":
				if strings.Contains(string(schemaJSON), "invalid_token") {
					if _, ok := headers["WWW-Authenticate"]; !ok {
						t.Errorf("%s: invalid_token without a WWW-Authenticate header", where)
					}
				}
			}
		}
		if !hasSuccess {
			t.Errorf("%s documents no success response", key)
		}
		_, path, _ := strings.Cut(key, " ")
		sec, _ := json.Marshal(op["security"])
		if strings.HasPrefix(path, "/v1/me") {
			if !strings.Contains(string(sec), `"bearerAuth"`) {
				t.Errorf("%s: not secured by bearerAuth", key)
			}
			if _, ok := responses["401"]; !ok {
				t.Errorf("%s: no 401 response", key)
			}
		} else if op["security"] != nil && strings.Contains(string(sec), "bearerAuth") {
			t.Errorf("%s: bearerAuth outside /v1/me*", key)
		}
		if _, ok := op["requestBody"]; ok {
			if _, ok := responses["413"]; !ok {
				t.Errorf("%s takes a body but documents no 413 request_too_large", key)
			}
		}
	}
	schemes, _ := resolvePointer(doc, "#/components/securitySchemes/bearerAuth")
	bearer, _ := schemes.(map[string]any)
	if bearer["type"] != "http" || !strings.EqualFold(bearer["scheme"].(string), "bearer") || bearer["bearerFormat"] != "JWT" {
		t.Errorf("bearerAuth = %v, want an http bearer JWT scheme", bearer)
	}
}

func TestOpenAPIServed(t *testing.T) {
	s := newDocServer(t)
	resp, err := s.App().Test(httptest.NewRequest(fiber.MethodGet, "/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != fiber.StatusOK {
		t.Fatalf("GET /openapi.json = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get(fiber.HeaderContentType); !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		t.Errorf("Content-Type = %q", ct)
	}
	if resp.Header.Get(headerReqID) == "" {
		t.Error("no X-Request-ID header")
	}
	if !bytes.Equal(body, OpenAPI()) {
		t.Error("GET /openapi.json does not serve the embedded document")
	}
}
