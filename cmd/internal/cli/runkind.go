package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/autogan-go/autogan/nas"
)

// CheckRunKind returns a usage error when dir is not a run directory (it
// has no config.json) or holds a run of another command than want
// ("search" or "train"), telling which command resumes it; nil when it is
// of kind want or its kind cannot be told from a damaged config.json
// (nas.RunKind; the resume then reports what is wrong with it).
func CheckRunKind(dir, want string) error {
	if _, err := os.Stat(filepath.Join(dir, "config.json")); errors.Is(err, fs.ErrNotExist) {
		example := map[string]string{"search": "search, e.g. runs/demo", "train": "training, e.g. runs/train-demo"}[want]
		return Usagef("%s is not a run directory (it has no config.json): -resume takes the directory of an interrupted %s", dir, example)
	}
	kind := nas.RunKind(dir)
	if kind == "" || kind == want {
		return nil
	}
	noun := map[string]string{"search": "a search", "train": "a training"}
	if noun[kind] == "" { // an evaluation's record: nothing to resume
		return Usagef("%s holds a run of kind %q (cmd/%s), not %s run", dir, kind, kind, noun[want])
	}
	return Usagef("%s holds %s run, not %s: resume it with go run ./cmd/%s -resume %s", dir, noun[kind], noun[want], kind, dir)
}
