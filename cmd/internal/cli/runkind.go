package cli

import "github.com/autogan-go/autogan/nas"

// CheckRunKind returns a usage error when the run directory dir holds a
// run of another command than want ("search" or "train"), telling which
// command resumes it; nil when it is of kind want or its kind cannot be
// told (nas.RunKind; the resume then reports what is wrong with it).
func CheckRunKind(dir, want string) error {
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
