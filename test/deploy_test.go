package test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/authd/authd/cmd/authd/wiring"
)

// The deployment files under deploy/ are checked by the tools that consume
// them (helm, systemd-analyze) and by parsing what they produce.

// k8sObject is the part of a rendered manifest the chart test looks at.
type k8sObject map[string]any

func (o k8sObject) kind() string { s, _ := o["kind"].(string); return s }
func (o k8sObject) name() string { return str(dig(o, "metadata", "name")) }

// dig walks maps by key and lists by index ("0").
func dig(v any, path ...string) any {
	for _, p := range path {
		switch m := v.(type) {
		case map[string]any:
			v = m[p]
		case k8sObject:
			v = m[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(m) {
				return nil
			}
			v = m[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return ""
	case int:
		return strconv.Itoa(s)
	case bool:
		return strconv.FormatBool(s)
	}
	return ""
}

func helmTemplate(t *testing.T, helm, chart string, sets ...string) ([]k8sObject, string, error) {
	t.Helper()
	args := []string{"template", "rel", chart, "--namespace", "auth"}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	var out, errOut bytes.Buffer
	cmd := exec.Command(helm, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		return nil, errOut.String(), err
	}
	var objs []k8sObject
	dec := yaml.NewDecoder(&out)
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("helm template output is not YAML: %v\n%s", err, out.String())
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	return objs, errOut.String(), nil
}

var chartRequired = []string{"secrets.databaseURL=postgres://authd:pw@db:5432/authd", "secrets.redisURL=redis://redis:6379/0"}

func TestHelmChart(t *testing.T) {
	helm := tool(t, "helm", "go install helm.sh/helm/v3/cmd/helm@v3.21.4")
	chart := filepath.Join(repoRoot(t), "deploy", "helm", "authd")

	lint := exec.Command(helm, append([]string{"lint", chart, "--strict"}, setArgs(chartRequired)...)...)
	lint.Env = append(os.Environ(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_CONFIG_HOME="+t.TempDir())
	if out, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("helm lint: %v\n%s", err, out)
	}

	objs, _, err := helmTemplate(t, helm, chart, append(chartRequired, "serviceMonitor.enabled=true")...)
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	byKind := map[string][]k8sObject{}
	for _, o := range objs {
		byKind[o.kind()] = append(byKind[o.kind()], o)
	}
	for _, kind := range []string{"Deployment", "Service", "Secret", "Job", "ServiceMonitor", "PodDisruptionBudget", "ServiceAccount"} {
		if len(byKind[kind]) == 0 {
			t.Errorf("no %s rendered", kind)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	t.Run("deployment probes on the admin port, non-root, read-only root", func(t *testing.T) {
		dep := byKind["Deployment"][0]
		pod := dig(dep, "spec", "template", "spec")
		checkPodSecurity(t, pod)
		c := dig(pod, "containers", "0")
		ports := map[string]string{}
		for _, p := range asList(dig(c, "ports")) {
			ports[str(dig(p, "name"))] = str(dig(p, "containerPort"))
		}
		if ports["http"] != "8080" || ports["admin"] != "8081" || len(ports) != 2 {
			t.Errorf("container ports %v, want http 8080 and admin 8081", ports)
		}
		for _, probe := range []string{"livenessProbe", "readinessProbe", "startupProbe"} {
			port := str(dig(c, probe, "httpGet", "port"))
			if port != "admin" && port != "8081" {
				t.Errorf("%s on port %q, want the admin listener", probe, port)
			}
		}
		if p := str(dig(c, "readinessProbe", "httpGet", "path")); p != "/readyz" {
			t.Errorf("readiness path %q", p)
		}
		if p := str(dig(c, "livenessProbe", "httpGet", "path")); p != "/healthz" {
			t.Errorf("liveness path %q", p)
		}
		env := envOf(c)
		if env["AUTHD_ADMIN_ADDR"] != ":8081" || env["AUTHD_HTTP_ADDR"] != ":8080" {
			t.Errorf("listen addresses %q %q: the admin listener must bind the pod address for the probes", env["AUTHD_HTTP_ADDR"], env["AUTHD_ADMIN_ADDR"])
		}
		for _, secret := range []string{"AUTHD_CODE_SECRET", "AUTHD_DATABASE_URL"} {
			if dig(c, "env") == nil || env[secret] != "<secret>" {
				t.Errorf("%s not taken from the Secret", secret)
			}
		}
	})

	t.Run("the Service exposes the public port only", func(t *testing.T) {
		var public, admin k8sObject
		for _, s := range byKind["Service"] {
			if str(dig(s, "spec", "clusterIP")) == "None" {
				admin = s
			} else {
				public = s
			}
		}
		if public == nil {
			t.Fatal("no public Service")
		}
		ports := asList(dig(public, "spec", "ports"))
		if len(ports) != 1 || str(dig(ports[0], "port")) != "8080" || str(dig(ports[0], "targetPort")) != "http" {
			t.Errorf("public Service ports %v, want only 8080 -> http", ports)
		}
		// The ServiceMonitor needs a Service to find the pods' admin ports:
		// a headless one, with no cluster IP to send traffic to.
		if admin == nil || str(dig(admin, "spec", "ports", "0", "port")) != "8081" {
			t.Errorf("headless admin Service for the ServiceMonitor: %v", admin)
		}
		sm := byKind["ServiceMonitor"][0]
		if str(dig(sm, "spec", "endpoints", "0", "port")) != "admin" || str(dig(sm, "spec", "endpoints", "0", "path")) != "/metrics" {
			t.Errorf("ServiceMonitor endpoints %v", dig(sm, "spec", "endpoints"))
		}
	})

	t.Run("migration job is a pre-install and pre-upgrade hook", func(t *testing.T) {
		job := byKind["Job"][0]
		if h := str(dig(job, "metadata", "annotations", "helm.sh/hook")); h != "pre-install,pre-upgrade" {
			t.Errorf("migration Job hook %q", h)
		}
		pod := dig(job, "spec", "template", "spec")
		checkPodSecurity(t, pod)
		if args := asList(dig(pod, "containers", "0", "args")); len(args) != 1 || args[0] != "migrate" {
			t.Errorf("migration Job args %v", args)
		}
		// The Job reads the database URL from the Secret, so the Secret must
		// be a hook that runs first.
		sec := byKind["Secret"][0]
		w, _ := strconv.Atoi(str(dig(sec, "metadata", "annotations", "helm.sh/hook-weight")))
		jw, _ := strconv.Atoi(str(dig(job, "metadata", "annotations", "helm.sh/hook-weight")))
		if !strings.Contains(str(dig(sec, "metadata", "annotations", "helm.sh/hook")), "pre-install") || w >= jw {
			t.Errorf("Secret hook %v must come before the Job (weight %d)", dig(sec, "metadata", "annotations"), jw)
		}
	})

	t.Run("secret holds a code secret and an Ed25519 signing key", func(t *testing.T) {
		data := dig(byKind["Secret"][0], "data")
		get := func(k string) []byte {
			b, err := base64.StdEncoding.DecodeString(str(dig(data, k)))
			if err != nil {
				t.Fatalf("secret %s: %v", k, err)
			}
			return b
		}
		if cs := get("code-secret"); len(cs) < 32 {
			t.Errorf("generated code secret is %d bytes", len(cs))
		}
		block, _ := pem.Decode(get("signing-key.pem"))
		if block == nil {
			t.Fatal("signing-key.pem is not PEM")
		}
		key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if _, ok := key.(ed25519.PrivateKey); err != nil || !ok {
			t.Errorf("signing key: %T %v, want a PKCS#8 Ed25519 key as AUTHD_JWT_KEY_FILE takes", key, err)
		}
		if string(get("database-url")) != "postgres://authd:pw@db:5432/authd" {
			t.Errorf("database-url %q", get("database-url"))
		}
	})

	t.Run("pod disruption budget selects the pods", func(t *testing.T) {
		pdb := byKind["PodDisruptionBudget"][0]
		want := dig(byKind["Deployment"][0], "spec", "selector", "matchLabels")
		if got := dig(pdb, "spec", "selector", "matchLabels"); !equalYAML(got, want) {
			t.Errorf("PDB selector %v, Deployment selector %v", got, want)
		}
	})

	t.Run("service monitor is a toggle", func(t *testing.T) {
		objs, _, err := helmTemplate(t, helm, chart, chartRequired...)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if o.kind() == "ServiceMonitor" || (o.kind() == "Service" && str(dig(o, "spec", "clusterIP")) == "None") {
				t.Errorf("serviceMonitor.enabled=false still renders %s %s", o.kind(), o.name())
			}
		}
	})

	t.Run("missing settings are refused with a reason", func(t *testing.T) {
		for _, tt := range []struct {
			sets []string
			want string
		}{
			{nil, "secrets.databaseURL"},
			{[]string{"secrets.databaseURL=postgres://x@db/authd"}, "secrets.redisURL"},
			{append([]string{"env.AUTHD_CODE_SECRET=x"}, chartRequired...), "env.AUTHD_CODE_SECRET is set by the chart"},
		} {
			_, stderr, err := helmTemplate(t, helm, chart, tt.sets...)
			if err == nil || !strings.Contains(stderr, tt.want) {
				t.Errorf("helm template --set %v: %v %q, want an error naming %q", tt.sets, err, stderr, tt.want)
			}
		}
		if _, stderr, err := helmTemplate(t, helm, chart, "secrets.existingSecret=mine"); err != nil {
			t.Errorf("with existingSecret: %v %s", err, stderr)
		}
	})
}

func setArgs(sets []string) []string {
	var args []string
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	return args
}

func asList(v any) []any { l, _ := v.([]any); return l }

func equalYAML(a, b any) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return a != nil && bytes.Equal(x, y)
}

// envOf maps a container's env; values from a Secret read "<secret>".
func envOf(c any) map[string]string {
	env := map[string]string{}
	for _, e := range asList(dig(c, "env")) {
		if dig(e, "valueFrom", "secretKeyRef") != nil {
			env[str(dig(e, "name"))] = "<secret>"
			continue
		}
		env[str(dig(e, "name"))] = str(dig(e, "value"))
	}
	return env
}

func checkPodSecurity(t *testing.T, pod any) {
	t.Helper()
	if dig(pod, "securityContext", "runAsNonRoot") != true {
		t.Errorf("pod securityContext.runAsNonRoot = %v", dig(pod, "securityContext", "runAsNonRoot"))
	}
	if uid := str(dig(pod, "securityContext", "runAsUser")); uid == "" || uid == "0" {
		t.Errorf("pod runs as uid %q", uid)
	}
	for _, c := range asList(dig(pod, "containers")) {
		sc := dig(c, "securityContext")
		if dig(sc, "readOnlyRootFilesystem") != true || dig(sc, "allowPrivilegeEscalation") != false {
			t.Errorf("container %s securityContext %v: want a read-only root and no privilege escalation", str(dig(c, "name")), sc)
		}
		if drop := asList(dig(sc, "capabilities", "drop")); len(drop) != 1 || drop[0] != "ALL" {
			t.Errorf("container %s drops capabilities %v, want ALL", str(dig(c, "name")), drop)
		}
	}
}

func TestSystemdUnit(t *testing.T) {
	analyze := tool(t, "systemd-analyze", "apt-get install systemd")
	unit, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "systemd", "authd.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "StateDirectory=authd", "ProtectSystem=strict", "NoNewPrivileges=yes",
		"ExecStartPre=/usr/local/bin/authd migrate", "ExecStart=/usr/local/bin/authd serve", "CapabilityBoundingSet=\n"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("unit lacks %q", want)
		}
	}
	// verify checks that ExecStart names an executable: point it at a
	// stand-in in a temporary directory rather than needing an install.
	dir := t.TempDir()
	bin := filepath.Join(dir, "authd")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "authd.service")
	if err := os.WriteFile(path, bytes.ReplaceAll(unit, []byte("/usr/local/bin/authd"), []byte(bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// The hardening as systemd itself scores it (0 is best, 10 worst).
	out, err = exec.Command(analyze, "security", "--offline=yes", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for authd\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("exposure level %.1f, want at most 2.0:\n%s", level, out)
	}
}

func TestComposeFile(t *testing.T) {
	root := repoRoot(t)
	raw, err := os.ReadFile(filepath.Join(root, "deploy", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Services map[string]struct {
			Image       string                       `yaml:"image"`
			Command     []string                     `yaml:"command"`
			EnvFile     any                          `yaml:"env_file"`
			Environment map[string]string            `yaml:"environment"`
			DependsOn   map[string]map[string]string `yaml:"depends_on"`
			Ports       []string                     `yaml:"ports"`
			ReadOnly    bool                         `yaml:"read_only"`
			CapDrop     []string                     `yaml:"cap_drop"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"authd", "migrate", "postgres", "redis"} {
		if _, ok := doc.Services[name]; !ok {
			t.Fatalf("no %s service", name)
		}
	}
	mig, srv := doc.Services["migrate"], doc.Services["authd"]
	if len(mig.Command) != 1 || mig.Command[0] != "migrate" || mig.Image != srv.Image {
		t.Errorf("migrate service: image %q command %v; want authd's image running migrate", mig.Image, mig.Command)
	}
	if mig.DependsOn["postgres"]["condition"] != "service_healthy" {
		t.Errorf("migrate depends on %v, want postgres healthy", mig.DependsOn)
	}
	if srv.DependsOn["migrate"]["condition"] != "service_completed_successfully" {
		t.Errorf("authd depends on %v, want migrate completed successfully", srv.DependsOn)
	}
	if len(srv.Command) != 1 || srv.Command[0] != "serve" {
		t.Errorf("authd command %v", srv.Command)
	}
	for _, p := range srv.Ports {
		if strings.HasSuffix(p, ":8081") && !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("admin port published as %q: only on loopback", p)
		}
	}
	if !srv.ReadOnly || len(srv.CapDrop) == 0 {
		t.Errorf("authd container: read_only %v cap_drop %v", srv.ReadOnly, srv.CapDrop)
	}

	// The example env file and the compose environment must hold only
	// settings authd knows (it refuses unknown AUTHD_* names at start).
	if str(srv.EnvFile) != "authd.env" || str(mig.EnvFile) != "authd.env" {
		t.Errorf("env_file %v / %v, want authd.env", srv.EnvFile, mig.EnvFile)
	}
	example, err := os.ReadFile(filepath.Join(root, "deploy", "authd.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	var environ []string
	for _, line := range strings.Split(string(example), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			environ = append(environ, line)
		}
	}
	for k, v := range srv.Environment {
		environ = append(environ, k+"="+v)
	}
	environ = append(environ, "AUTHD_DATA_DIR="+t.TempDir())
	s, err := wiring.LoadSettings("", environ)
	if err != nil {
		t.Fatalf("the example env file does not load: %v", err)
	}
	if !strings.HasPrefix(s.DatabaseURL, "postgres://") || !strings.Contains(s.DatabaseURL, "@postgres:5432/") || s.RedisURL != "redis://redis:6379/0" || len(s.CodeSecret) < 32 {
		t.Errorf("example settings: database %q redis %q code secret of %d characters", s.DatabaseURL, s.RedisURL, len(s.CodeSecret))
	}
}
