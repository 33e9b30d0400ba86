package wiring

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// LoadSettings reads defaults, then the YAML file at path (if any), then the
// environment. Every error names the key it is about.
func LoadSettings(path string, environ []string) (Settings, error) {
	values := map[string]string{}
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return Settings{}, fmt.Errorf("config file: %w", err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			return Settings{}, fmt.Errorf("config file %s: %w", path, err)
		}
		for k, v := range doc {
			values["AUTHD_"+strings.ToUpper(k)] = yamlString(v)
		}
	}
	known := map[string]bool{}
	forEachSetting(func(f reflect.StructField, _ reflect.Value) { known[f.Tag.Get("env")] = true })
	for k := range values {
		if !known[k] {
			return Settings{}, fmt.Errorf("config file %s: unknown key %q", path, strings.ToLower(strings.TrimPrefix(k, "AUTHD_")))
		}
	}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		switch {
		case !ok || !strings.HasPrefix(k, "AUTHD_"):
		case known[k]:
			values[k] = v
		case k == "AUTHD_CONFIG" || strings.HasPrefix(k, "AUTHD_TEST_"):
			// the config file path, and the test suites' own variables
		default:
			// A misspelt AUTHD_REDIS_URL would silently mean an in-process
			// code store: refuse to guess.
			return Settings{}, fmt.Errorf("%s: unknown variable (see the README's configuration table)", k)
		}
	}
	var s Settings
	var err error
	forEachField(&s, func(f reflect.StructField, v reflect.Value) {
		if err != nil {
			return
		}
		key := f.Tag.Get("env")
		raw, ok := values[key]
		if !ok {
			raw = f.Tag.Get("default")
		}
		if perr := setField(v, strings.TrimSpace(raw)); perr != nil {
			err = fmt.Errorf("%s: %w", key, perr)
		}
	})
	return s, err
}

func yamlString(v any) string {
	switch t := v.(type) {
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ",")
	case nil:
		return ""
	default:
		return fmt.Sprint(t)
	}
}

func setField(v reflect.Value, raw string) error {
	switch v.Interface().(type) {
	case string:
		v.SetString(raw)
	case []string:
		var list []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				list = append(list, p)
			}
		}
		v.Set(reflect.ValueOf(list))
	case int:
		if raw == "" {
			v.SetInt(0)
			return nil
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return fmt.Errorf("want an integer, got %q", raw)
		}
		v.SetInt(int64(n))
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		v.SetBool(b)
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a duration like 30s or 5m, got %q", raw)
		}
		if d < 0 {
			return fmt.Errorf("must not be negative, got %q", raw)
		}
		v.SetInt(int64(d))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

func forEachField(s *Settings, fn func(reflect.StructField, reflect.Value)) {
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		fn(v.Type().Field(i), v.Field(i))
	}
}

func forEachSetting(fn func(reflect.StructField, reflect.Value)) {
	var s Settings
	forEachField(&s, fn)
}

// Describe lists every key with its value, secrets masked, sorted.
func (s Settings) Describe() []string {
	var out []string
	forEachField(&s, func(f reflect.StructField, v reflect.Value) {
		val := fmt.Sprint(v.Interface())
		if f.Tag.Get("secret") == "true" && val != "" {
			val = "****"
		}
		val = maskURLPassword(val)
		out = append(out, f.Tag.Get("env")+"="+val)
	})
	sort.Strings(out)
	return out
}

// maskURLPassword hides the password of a URL's userinfo
// (postgres://user:pw@host, redis://:pw@a,b): database and Redis URLs
// carry one, and `authd config` output ends up in tickets and chats.
func maskURLPassword(val string) string {
	scheme, rest, ok := strings.Cut(val, "://")
	if !ok {
		return val
	}
	// The userinfo ends at the last '@' before the path (a password may hold
	// '@' or ':' unescaped).
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return val
	}
	user, _, hasPw := strings.Cut(rest[:at], ":")
	if !hasPw {
		return val
	}
	return scheme + "://" + user + ":****" + rest[at:]
}
