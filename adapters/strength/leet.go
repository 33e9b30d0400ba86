package strength

import (
	"strings"

	zxcvbn "github.com/ccojocar/zxcvbn-go"
	"github.com/ccojocar/zxcvbn-go/matching"
	"github.com/ccojocar/zxcvbn-go/scoring"
)

// maxScored bounds the runes zxcvbn looks at. Its dictionary matching is
// quadratic in the length and its l33t matcher multiplies that by every
// substitution it tries: a 128-character password full of l33t characters
// took seconds. Scoring a prefix only errs towards refusing: characters
// after a strong prefix cannot make it guessable.
const maxScored = 64

// deleeters undo l33t spelling the way zxcvbn's own table does, one
// replacer per reading of the ambiguous characters ("1" and "|" as i or l,
// "7" as t or l). Scoring these few readings with plain dictionaries
// replaces zxcvbn's l33t matcher, whose permutations are the costly part.
func deleeters() []*strings.Replacer {
	common := []string{"4", "a", "@", "a", "8", "b", "(", "c", "{", "c", "[", "c", "<", "c",
		"3", "e", "6", "g", "9", "g", "!", "i", "0", "o", "$", "s", "5", "s", "+", "t", "%", "x", "2", "z"}
	return []*strings.Replacer{
		strings.NewReplacer(append(common, "1", "i", "|", "i", "7", "t")...),
		strings.NewReplacer(append(common, "1", "l", "|", "l", "7", "l")...),
	}
}

// weakest scores plain (its first maxScored runes) and its de-l33ted
// readings, and returns the lowest-scoring result.
func (c *Checker) weakest(plain string, words []string) scoring.MinEntropyMatch {
	plain = prefix(plain, maxScored)
	worst := zxcvbn.PasswordStrength(plain, words, matching.FilterL33tMatcher)
	for _, r := range c.deleet {
		v := r.Replace(plain)
		if v == plain {
			continue
		}
		if s := zxcvbn.PasswordStrength(v, words, matching.FilterL33tMatcher); s.Score < worst.Score {
			worst = s
		}
	}
	return worst
}

// prefix returns the first n runes of s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
