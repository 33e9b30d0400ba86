package bunstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authd/authd/adapters/bunstore"
)

// The SQLite file holds phones, password hashes and token hashes: owner
// only, like the key and the code secret (it was created 0644).
func TestSQLiteFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh", "authd.db")
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fresh, old} {
		st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: "sqlite:" + path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		st.Close()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			fi, err := os.Stat(p)
			if os.IsNotExist(err) && p != path {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s mode %v, want owner only", p, fi.Mode().Perm())
			}
		}
	}
}
