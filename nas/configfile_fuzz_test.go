package nas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzConfigFile: a configuration file (-config) is user-supplied JSON laid
// over a preset, for the search (Config) and for training (TrainConfig).
// Any bytes give an error or an overlay that validation then judges; never
// a panic. A file is accepted only if it is exactly one JSON object whose
// every key names a setting: a misspelt key, a second object or trailing
// bytes are errors, not silently ignored.
func FuzzConfigFile(f *testing.F) {
	search, _ := json.Marshal(MustPreset("tiny"))
	train, _ := json.Marshal(MustTrainPreset("tiny"))
	f.Add(search)
	f.Add(train)
	f.Add([]byte(`{"gf_dim": 16, "g_lr": 1e-4, "strategy": "slas", "arch": "autogan_cifar10_b"}`))
	f.Add([]byte(`{"gf_dim": 16, "unknown_key": 1}`))
	f.Add([]byte(`{"max_iter": 3} {"gf_dim": 4}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c := MustPreset("tiny")
		err := c.LoadConfigFile(p)
		checkOverlay(t, data, reflect.TypeOf(c), err)
		if err == nil {
			c.Validate()
			c.StageOf(0)
		}
		tc := MustTrainPreset("tiny")
		err = tc.LoadConfigFile(p)
		checkOverlay(t, data, reflect.TypeOf(tc), err)
		if err == nil {
			tc.Validate()
		}
	})
}

// checkOverlay fails when an overlay of data on a struct of type typ was
// accepted although data is not a single JSON object or has a key that no
// field's JSON name matches (encoding/json matches names without regard
// to case).
func checkOverlay(t *testing.T, data []byte, typ reflect.Type, err error) {
	t.Helper()
	if err != nil {
		return
	}
	var obj map[string]json.RawMessage
	if !json.Valid(data) || json.Unmarshal(data, &obj) != nil || obj == nil {
		t.Fatalf("accepted %q, which is not one JSON object", data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.Token() // the opening brace
	for dec.More() {
		tok, _ := dec.Token()
		key := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if !hasJSONField(typ, key) {
			t.Fatalf("accepted unknown key %q in %s", key, data)
		}
	}
}

// hasJSONField reports whether a struct type has a field of that JSON name,
// in itself or in a struct it embeds (GANConfig in Config and TrainConfig).
func hasJSONField(typ reflect.Type, key string) bool {
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			if hasJSONField(f.Type, key) {
				return true
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if strings.EqualFold(name, key) {
			return true
		}
	}
	return false
}

// TestConfigFileOneObject: a configuration file is one JSON object; an
// empty file, null, an array, or a second object after the first (which
// encoding/json's Decoder would leave unread) are refused, not ignored.
func TestConfigFileOneObject(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"empty":         "",
		"null":          "null",
		"array":         `[{"gf_dim": 4}]`,
		"second object": `{"gf_dim": 4} {"gf_dim": 5}`,
		"trailing":      `{"gf_dim": 4}, x`,
		"unknown key":   `{"gf_dim": 4, "gf_dimm": 5}`,
	} {
		p := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		c := MustPreset("tiny")
		if err := c.LoadConfigFile(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: got %v, want an error naming the file", name, err)
		}
	}
	p := filepath.Join(dir, "good.json")
	os.WriteFile(p, []byte("\n  {\"gf_dim\": 4, \"arch\": \"autogan_cifar10_b\"}\n\n"), 0o644)
	c := MustTrainPreset("tiny")
	if err := c.LoadConfigFile(p); err != nil || c.GF != 4 || c.Arch != "autogan_cifar10_b" || c.Latent != MustTrainPreset("tiny").Latent {
		t.Fatalf("overlay: %v, %+v", err, c)
	}
}
