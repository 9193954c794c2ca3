package cli

import (
	"strings"
	"testing"
)

// TestImageFlagsSayWhatZeroMeans: -limit 0 and -size 0, the defaults, mean
// all the images and no resize; the help says so (it did not).
func TestImageFlagsSayWhatZeroMeans(t *testing.T) {
	fs := NewFlagSet("cmd [flags]", "Does things.")
	var f ImageFlags
	f.Register(fs)
	for name, want := range map[string]string{"limit": "0: all images", "size": "0: no resize"} {
		if u := fs.Lookup(name).Usage; !strings.Contains(u, want) {
			t.Errorf("-%s: help %q, want it to say %q", name, u, want)
		}
	}
}
