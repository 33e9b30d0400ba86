package domain

// Phone is a phone number in E.164 form ("+8613711112222") with the ISO
// region it belongs to. Construct it through a ports.PhoneParser; the zero
// value is no phone.
type Phone struct {
	E164   string
	Region string // ISO 3166-1 alpha-2, e.g. "CN"
}

// String returns the E.164 form.
func (p Phone) String() string { return p.E164 }

// IsZero reports whether p holds no number.
func (p Phone) IsZero() bool { return p.E164 == "" }

// RegionPolicy lists the regions whose numbers may receive codes.
type RegionPolicy struct {
	All     bool            // "*": every region
	Regions map[string]bool // ISO regions, upper case
}

// Allows reports whether codes may be sent to p.
func (r RegionPolicy) Allows(p Phone) bool {
	return r.All || r.Regions[p.Region]
}
