package httphook_test

import (
	"testing"

	"github.com/authd/authd/adapters/sms/httphook"
)

// The Standard Webhooks specification's example: secret, id, timestamp,
// payload and the signature every implementation must produce.
func TestSignMatchesTheSpecVector(t *testing.T) {
	key, err := httphook.DecodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := httphook.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestDecodeSecretRefusesJunk(t *testing.T) {
	for _, s := range []string{"", "whsec_", "whsec_!!!", "whsec_c2hvcnQ="} {
		if _, err := httphook.DecodeSecret(s); err == nil {
			t.Errorf("DecodeSecret(%q) accepted", s)
		}
	}
}
