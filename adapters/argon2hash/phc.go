package argon2hash

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

var errMalformed = errors.New("malformed argon2id hash")

// phc is a decoded PHC string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

// encode formats $argon2id$v=19$m=...,t=...,p=...$salt$key with unpadded
// standard base64, the form the reference implementation and libsodium use.
func (h phc) encode() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.params.Memory, h.params.Time, h.params.Threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// parsePHC decodes an argon2id PHC string strictly: any deviation, or
// parameters beyond the limits, is errMalformed.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" ||
		parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, errMalformed
	}
	var h phc
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return phc{}, errMalformed
	}
	m, err1 := param(fields[0], "m=", 32)
	t, err2 := param(fields[1], "t=", 32)
	p, err3 := param(fields[2], "p=", 8)
	if err := errors.Join(err1, err2, err3); err != nil {
		return phc{}, errMalformed
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return phc{}, errMalformed
	}
	h.params = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(p),
		SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if !h.params.valid() {
		return phc{}, errMalformed
	}
	h.salt, h.key = salt, key
	return h, nil
}

// param parses "k=123" with the given prefix as an unsigned decimal.
func param(field, prefix string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(field, prefix)
	if !ok {
		return 0, errMalformed
	}
	return strconv.ParseUint(v, 10, bits)
}
