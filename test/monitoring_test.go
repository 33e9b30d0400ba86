package test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/authd/authd/adapters/sms/smstest"
)

// The dashboard and the alert rules under deploy/ name authd's metrics; a
// renamed metric would leave a blank panel or an alert that never fires, so
// every name they use is checked against a real instance's /metrics.

// pendingMetrics would excuse a name the dashboard or rules use before
// authd exports it; it is empty: every name is checked.
var pendingMetrics = map[string]bool{}

// prometheusOwn are series Prometheus makes itself for every target.
var prometheusOwn = map[string]bool{"up": true}

func TestPrometheusRules(t *testing.T) {
	promtool := tool(t, "promtool", "apt-get install prometheus")
	dir := filepath.Join(repoRoot(t), "deploy", "prometheus")
	for _, args := range [][]string{{"check", "rules", "alerts.yaml"}, {"test", "rules", "alerts_test.yaml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if !strings.Contains(string(out), "SUCCESS") {
			t.Fatalf("promtool %s did not report success:\n%s", strings.Join(args, " "), out)
		}
	}
	// Every alert the brief asks for has a unit test (promtool only checks
	// the tests that exist).
	tests, err := os.ReadFile(filepath.Join(dir, "alerts_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range alertNames(t) {
		if !strings.Contains(string(tests), "alertname: "+name+"\n") {
			t.Errorf("alert %s has no promtool unit test", name)
		}
	}
}

// alertNames lists the rules in alerts.yaml.
func alertNames(t *testing.T) []string {
	var names []string
	for _, r := range alertRules(t) {
		names = append(names, r.Alert)
	}
	return names
}

type alertRule struct {
	Alert string `yaml:"alert"`
	Expr  string `yaml:"expr"`
}

func alertRules(t *testing.T) []alertRule {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "prometheus", "alerts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var rules []alertRule
	for _, g := range doc.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatal("no rules in alerts.yaml")
	}
	return rules
}

// dashboardExprs returns every PromQL query of the dashboard: panel
// targets and template variable queries.
func dashboardExprs(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "grafana", "authd.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Type  string `json:"type"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("authd.json: %v", err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("a %s panel has no query", p.Type)
		}
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	for _, v := range dash.Templating.List {
		if q, ok := v.Query.(string); ok && v.Type == "query" {
			exprs = append(exprs, q)
		}
	}
	return exprs
}

var (
	authdName    = regexp.MustCompile(`\bauthd_[a-z0-9_]+\b`)
	selectorName = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{`)
)

// metricNames pulls the metric names out of PromQL: every authd_ name, and
// any other name in front of a label selector.
func metricNames(exprs []string) map[string]bool {
	names := map[string]bool{}
	for _, e := range exprs {
		for _, n := range authdName.FindAllString(e, -1) {
			names[n] = true
		}
		for _, m := range selectorName.FindAllStringSubmatch(e, -1) {
			names[m[1]] = true
		}
	}
	return names
}

func TestDashboardAndAlertsUseExportedMetrics(t *testing.T) {
	var ruleExprs []string
	for _, r := range alertRules(t) {
		ruleExprs = append(ruleExprs, r.Expr)
	}
	dash, rules := metricNames(dashboardExprs(t)), metricNames(ruleExprs)

	// What the issue asks the dashboard to show: sends, failures and
	// failovers by vendor, breaker state, logins, latencies, guard, spend.
	for _, n := range []string{"authd_sms_sends_total", "authd_sms_send_failures_total", "authd_sms_failovers_total",
		"authd_sms_breaker_state", "authd_logins_total", "authd_http_request_duration_seconds_bucket",
		"authd_sms_send_duration_seconds_bucket", "authd_sms_guard_decisions_total", "authd_sms_spend_total",
		"authd_sms_spend_limit_ratio"} {
		if !dash[n] {
			t.Errorf("the dashboard does not show %s", n)
		}
	}

	exported := scrapeTrafficMetrics(t)
	used := map[string][]string{}
	for n := range dash {
		used[n] = append(used[n], "dashboard")
	}
	for n := range rules {
		used[n] = append(used[n], "alerts")
	}
	var pending []string
	for n, where := range used {
		switch {
		case exported[n] || prometheusOwn[n]:
		case pendingMetrics[n]:
			pending = append(pending, n)
		default:
			t.Errorf("%s (used by the %s) is not exported by authd", n, strings.Join(where, " and "))
		}
	}
	sort.Strings(pending)
	if len(pending) > 0 {
		t.Logf("pending (not exported yet, used under the agreed names): %s", strings.Join(pending, ", "))
	}
}

// scrapeTrafficMetrics runs an instance through a fake Tencent and Aliyun,
// sends a code, logs in, makes Tencent fail once (a failure and a
// failover) and posts a delivery receipt, then reads /metrics: a vector only
// shows once one of its series has a sample. It returns every exported
// sample name (histograms with their _bucket, _sum and _count).
func scrapeTrafficMetrics(t *testing.T) map[string]bool {
	t.Helper()
	const secret = "receipt-secret-0123456789"
	// Prices and caps: the spend series exist only where spend is counted.
	rig := startVendorRig(t, map[string]string{"AUTHD_SMS_RECEIPT_SECRET": secret,
		"AUTHD_SMS_PRICES": "tencent:*=0.05;aliyun:*=0.05", "AUTHD_SMS_SPEND_LIMIT_DAILY": "100",
		"AUTHD_SMS_SPEND_LIMIT_MONTHLY": "1000"})

	phone := newPhone()
	rig.sendOK(t, phone)
	rig.loginWith(t, phone, lastTencent(t, rig.tencent, phone).Code, http.StatusCreated)
	rig.c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": "000000"}) // a failed login

	rig.tencent.SetMode(smstest.Status(http.StatusInternalServerError))
	rig.sendOK(t, newPhone())
	rig.tencent.SetMode(smstest.OK)
	// A receipt for a message authd never sent: acknowledged, counted as
	// unmatched.
	receipt := []map[string]any{{"user_receive_time": "2026-01-02 15:04:05", "nationcode": "86", "mobile": phone,
		"report_status": "FAIL", "errmsg": "MK:0001", "description": "failed", "sid": "2028:unknown"}}
	if r := rig.c.Post("/v1/sms/receipts/tencent", receipt, "Authorization: Bearer "+secret); r.Status != http.StatusOK {
		t.Fatalf("receipt: %d %s", r.Status, r.Raw)
	}

	r := rig.admin.Get("/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("/metrics: %d", r.Status)
	}
	names := map[string]bool{}
	for _, line := range strings.Split(string(r.Raw), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.IndexAny(line, "{ "); i > 0 {
			names[line[:i]] = true
		}
	}
	return names
}
