package smsvendor

import "time"

// chinaTime is the zone of both Chinese vendors' receipt times, which they
// write without one.
var chinaTime = time.FixedZone("CST", 8*60*60)

const chinaTimeLayout = "2006-01-02 15:04:05"

// ParseChinaTime reads a receipt time in China Standard Time. It returns
// the zero time for a missing or odd time: a receipt is still worth
// applying without it.
func ParseChinaTime(s string) time.Time {
	t, err := time.ParseInLocation(chinaTimeLayout, s, chinaTime)
	if err != nil {
		return time.Time{}
	}
	return t
}
