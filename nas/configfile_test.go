package nas

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestConfigJSONRecordsEngine: a run's config.json records the engine that
// ran it under "engine" (tensor.Policy), and still loads back as exactly
// the configuration that was written, for searches and trainings.
func TestConfigJSONRecordsEngine(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v any) string {
		b, err := json.MarshalIndent(withEngine{v}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatal(err)
		}
		var e tensor.ConvPolicy
		if err := json.Unmarshal(top["engine"], &e); err != nil || e != tensor.Policy() {
			t.Errorf("%s: engine %s (%v), want %+v", name, top["engine"], err, tensor.Policy())
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	cfg := MustPreset("tiny")
	cfg.Seed = 7
	var got Config // every field comes from the file
	if err := got.LoadConfigFile(write("search.json", cfg)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, cfg) {
		t.Errorf("search configuration after the round trip:\n%+v\nwant\n%+v", got, cfg)
	}

	tcfg := MustTrainPreset("tiny")
	tcfg.Seed = 9
	var tgot TrainConfig
	if err := tgot.LoadConfigFile(write("train.json", tcfg)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tgot, tcfg) {
		t.Errorf("training configuration after the round trip:\n%+v\nwant\n%+v", tgot, tcfg)
	}
}
