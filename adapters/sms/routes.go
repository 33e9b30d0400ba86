package sms

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// AnyRegion names the route for every region without a route of its own.
const AnyRegion = "*"

// Route is the ordered failover list for some destination regions.
type Route struct {
	Regions   []string // ISO regions, upper case, or just AnyRegion
	Providers []string
}

// Name is how logs and metrics call the route: its regions.
func (r Route) Name() string { return strings.Join(r.Regions, ",") }

// ParseRoutes reads AUTHD_SMS_ROUTES, e.g.
// "CN=tencent,aliyun;HK,MO,TW=aliyun;*=twilio,http": routes separated by
// ";", each regions "=" providers, both comma lists. A region may appear
// in one route only; "*" stands alone.
func ParseRoutes(spec string) ([]Route, error) {
	bad := func(format string, args ...any) error {
		return &domain.ConfigError{Key: "AUTHD_SMS_ROUTES", Msg: fmt.Sprintf(format, args...)}
	}
	var routes []Route
	seen := map[string]bool{}
	for item := range strings.SplitSeq(spec, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		regions, providers, ok := strings.Cut(item, "=")
		if !ok {
			return nil, bad("route %q: want REGIONS=PROVIDERS", item)
		}
		var r Route
		for reg := range strings.SplitSeq(regions, ",") {
			reg = strings.ToUpper(strings.TrimSpace(reg))
			switch {
			case reg == AnyRegion:
			case len(reg) != 2 || reg[0] < 'A' || reg[0] > 'Z' || reg[1] < 'A' || reg[1] > 'Z':
				return nil, bad("route %q: %q is not an ISO region or *", item, reg)
			}
			if seen[reg] {
				return nil, bad("region %s has two routes", reg)
			}
			seen[reg] = true
			r.Regions = append(r.Regions, reg)
		}
		if slices.Contains(r.Regions, AnyRegion) && len(r.Regions) > 1 {
			return nil, bad("route %q: * stands alone", item)
		}
		for p := range strings.SplitSeq(providers, ",") {
			p = strings.ToLower(strings.TrimSpace(p))
			if p == "" {
				return nil, bad("route %q: empty provider name", item)
			}
			if slices.Contains(r.Providers, p) {
				return nil, bad("route %q: %q listed twice", item, p)
			}
			r.Providers = append(r.Providers, p)
		}
		routes = append(routes, r)
	}
	if len(routes) == 0 {
		return nil, bad("no route in %q", spec)
	}
	return routes, nil
}

// routes are the configured routes: AUTHD_SMS_ROUTES, or else the
// AUTHD_SMS_PROVIDERS list as the one route for every region.
func (c Config) routes() ([]Route, error) {
	if strings.TrimSpace(c.Routes) == "" {
		return []Route{{Regions: []string{AnyRegion}, Providers: c.WithDefaults().Providers}}, nil
	}
	return ParseRoutes(c.Routes)
}

// ProviderNames lists every provider some route uses, each once, in the
// order they first appear.
func (c Config) ProviderNames() []string {
	routes, err := c.routes()
	if err != nil {
		return c.Providers
	}
	var names []string
	for _, r := range routes {
		for _, p := range r.Providers {
			if !slices.Contains(names, p) {
				names = append(names, p)
			}
		}
	}
	return names
}

// checkRegions refuses a route for a region the allowlist forbids, and an
// allowed region that no route serves (its codes could never be sent).
func checkRegions(routes []Route, allowed string) error {
	if strings.TrimSpace(allowed) == "" {
		return nil
	}
	policy, err := phonenum.ParseRegions(allowed)
	if err != nil {
		return err
	}
	routed := map[string]bool{}
	for _, r := range routes {
		for _, reg := range r.Regions {
			routed[reg] = true
			if reg != AnyRegion && !policy.All && !policy.Regions[reg] {
				return &domain.ConfigError{Key: "AUTHD_SMS_ROUTES",
					Msg: fmt.Sprintf("region %s is not in AUTHD_SMS_ALLOWED_REGIONS (%s)", reg, allowed)}
			}
		}
	}
	if routed[AnyRegion] {
		return nil
	}
	if policy.All {
		return &domain.ConfigError{Key: "AUTHD_SMS_ROUTES", Msg: "AUTHD_SMS_ALLOWED_REGIONS is * but no route is *"}
	}
	for _, reg := range slices.Sorted(func(yield func(string) bool) {
		for reg := range policy.Regions {
			if !yield(reg) {
				return
			}
		}
	}) {
		if !routed[reg] {
			return &domain.ConfigError{Key: "AUTHD_SMS_ROUTES",
				Msg: fmt.Sprintf("allowed region %s has no route (add it to a route or add a * route)", reg)}
		}
	}
	return nil
}

// Router sends each message through its destination region's route. Each
// route is a Failover of its own: its own breakers per vendor and its own
// budget, so a vendor failing on one route is skipped there only.
type Router struct {
	byRegion map[string]*Failover
	any      *Failover // nil when no route is *
	names    map[*Failover]string
	senders  []ports.SMS // every vendor once, shared by the routes
}

var _ ports.SMS = (*Router)(nil)

// Send routes msg by msg.Phone.Region. A region without a route cannot
// happen with a validated config and an allowlist; it is a delivery
// failure, not a panic.
func (r *Router) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	f := r.route(msg.Phone.Region)
	if f == nil {
		return ports.SMSResult{}, fmt.Errorf("%w: no SMS route for region %q", domain.ErrSMSDeliveryFailed, msg.Phone.Region)
	}
	return f.Send(ctx, msg)
}

// RouteName names the route that serves region, "" when none does.
func (r *Router) RouteName(region string) string {
	return r.names[r.route(region)]
}

func (r *Router) route(region string) *Failover {
	if f, ok := r.byRegion[strings.ToUpper(region)]; ok {
		return f
	}
	return r.any
}

// Close releases the vendors' idle connections.
func (r *Router) Close() {
	for _, s := range r.senders {
		if c, ok := s.(interface{ Close() }); ok {
			c.Close()
		}
	}
}
