package adminapi

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIDocumentsEveryRoute: every admin route is in the document and
// every documented operation is a route; every $ref resolves; every
// operation but the document itself needs the admin key and documents 401.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	paths, _ := doc["paths"].(map[string]any)
	api := New(Deps{})
	param := regexp.MustCompile(`:(\w+)`)
	routes := map[string]bool{}
	for _, r := range api.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "USE" || !strings.HasPrefix(r.Path, Prefix+"/") {
			continue
		}
		p := param.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + p
		routes[key] = true
		item, _ := paths[p].(map[string]any)
		if _, ok := item[strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s is not documented", key)
		}
	}
	for p, item := range paths {
		for method, o := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			if !routes[method+" "+p] {
				t.Errorf("documented %s %s is no route", method, p)
			}
			op := o.(map[string]any)
			responses, _ := op["responses"].(map[string]any)
			if p == Prefix+"/openapi.json" {
				continue
			}
			if _, ok := responses["401"]; !ok || op["security"] == nil {
				t.Errorf("%s %s: no admin key security or 401", method, p)
			}
		}
	}
	if len(routes) < 10 {
		t.Errorf("only %d routes found", len(routes))
	}
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`).FindAllStringSubmatch(string(OpenAPI()), -1) {
		var cur any = doc
		for _, tok := range strings.Split(ref[1], "/") {
			m, ok := cur.(map[string]any)
			if !ok {
				cur = nil
				break
			}
			cur = m[tok]
		}
		if cur == nil {
			t.Errorf("$ref #/%s does not resolve", ref[1])
		}
	}
}

func TestOpenAPIServedWithoutKey(t *testing.T) {
	f := newFixture(t)
	r := f.do("GET", "/admin/v1/openapi.json", "", "Authorization", "")
	f.want(r, 200, "")
	if r.body["openapi"] != "3.1.0" {
		t.Errorf("document = %.100s", r.raw)
	}
}
