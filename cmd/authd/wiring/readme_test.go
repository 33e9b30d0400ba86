package wiring

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// The README's configuration table lists every key authd reads.
func TestReadmeListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	forEachSetting(func(f reflect.StructField, _ reflect.Value) {
		key := f.Tag.Get("env")
		if !strings.Contains(string(readme), "| `"+key+"` |") {
			t.Errorf("README.md does not list %s", key)
		}
	})
}
