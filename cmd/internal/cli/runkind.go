package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// CheckRunKind returns a usage error when the run directory dir holds a
// run of another command than want ("search" or "train"), telling which
// command resumes it; nil when it is of kind want or its kind cannot be
// told (the resume then reports what is wrong with it). The kind is read
// from the keys of its config.json: a training's has "arch" and "max_iter",
// a search's "max_search_iter".
func CheckRunKind(dir, want string) error {
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) != nil {
		return nil
	}
	kind := ""
	switch {
	case keys["max_search_iter"] != nil:
		kind = "search"
	case keys["arch"] != nil && keys["max_iter"] != nil:
		kind = "train"
	}
	if kind == "" || kind == want {
		return nil
	}
	noun := map[string]string{"search": "a search", "train": "a training"}
	return Usagef("%s holds %s run, not %s: resume it with go run ./cmd/%s -resume %s", dir, noun[kind], noun[want], kind, dir)
}
