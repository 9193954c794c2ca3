package nas

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// A resumed run continues with the settings it started with, so a run
// that diverged would diverge again identically. These are the settings
// that may change when a run is resumed: they change how the run goes on,
// not what its state means.

// SearchResumeSettings lists the settings that may change when a search is
// resumed.
func SearchResumeSettings() []string { return []string{"g_lr", "d_lr", "ctrl_lr", "beta1", "beta2"} }

// TrainResumeSettings lists the settings that may change when a training
// run is resumed.
func TrainResumeSettings() []string {
	return []string{"g_lr", "d_lr", "beta1", "beta2", "lr_decay", "ema"}
}

// CheckSearchOverride returns the error Searcher.Override would return
// for a search whose settings are cur, resumed with next: the commands ask
// before they load a run, so that a refused change costs no loading and
// prints no "resumed" line.
func CheckSearchOverride(cur, next Config) error {
	_, err := checkOverride(cur, next, SearchResumeSettings(), next.Validate)
	return err
}

// CheckTrainOverride is CheckSearchOverride for a training run.
func CheckTrainOverride(cur, next TrainConfig) error {
	_, err := checkOverride(cur, next, TrainResumeSettings(), next.Validate)
	return err
}

// checkOverride returns the settings that differ between cur and next,
// an error when one of them is not in allowed, or when next is changed
// and not valid.
func checkOverride(cur, next any, allowed []string, validate func() error) (map[string]any, error) {
	changed, err := settingsDiff(cur, next, allowed)
	if err != nil || len(changed) == 0 {
		return nil, err
	}
	return changed, validate()
}

// Override changes the settings of a resumed search to next, which may
// differ from the current ones only in SearchResumeSettings. The change is
// recorded in the metrics at once and in the checkpoints and config.json
// from the next checkpoint on, and the optimisers take the new learning
// rates and betas at once.
func (s *Searcher) Override(next Config) error {
	changed, err := checkOverride(s.Cfg, next, SearchResumeSettings(), next.Validate)
	if err != nil || len(changed) == 0 {
		return err
	}
	s.Cfg, s.overridden = next, true
	s.optG.SetHyper(next.GLR, next.Beta1, next.Beta2)
	s.optD.SetHyper(next.DLR, next.Beta1, next.Beta2)
	s.optC.SetHyper(next.CtrlLR, next.Beta1, next.Beta2)
	return recordOverride(s.Rec, changed)
}

// Override changes the settings of a resumed training run to next, which
// may differ from the current ones only in TrainResumeSettings.
func (t *Trainer) Override(next TrainConfig) error {
	changed, err := checkOverride(t.Cfg, next, TrainResumeSettings(), next.Validate)
	if err != nil || len(changed) == 0 {
		return err
	}
	t.Cfg, t.overridden = next, true
	t.optG.SetHyper(next.GLR, next.Beta1, next.Beta2)
	t.optD.SetHyper(next.DLR, next.Beta1, next.Beta2)
	t.ema.Decay = next.EMADecay
	t.setDecay()
	return recordOverride(t.Rec, changed)
}

func recordOverride(rec Recorder, changed map[string]any) error {
	return rec.Event(map[string]any{"event": "resume", "overrides": changed})
}

// settingsDiff compares two configurations as their JSON objects and
// returns the settings that differ (with their new values); any of them
// outside allowed is an error naming it.
func settingsDiff(old, next any, allowed []string) (map[string]any, error) {
	a, b := map[string]any{}, map[string]any{}
	for _, p := range []struct {
		v any
		m *map[string]any
	}{{old, &a}, {next, &b}} {
		raw, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, p.m); err != nil {
			return nil, err
		}
	}
	changed := map[string]any{}
	var refused []string
	for k, v := range b {
		if fmt.Sprint(a[k]) == fmt.Sprint(v) {
			continue
		}
		if !slices.Contains(allowed, k) {
			refused = append(refused, k)
			continue
		}
		changed[k] = v
	}
	if len(refused) > 0 {
		sort.Strings(refused)
		return nil, fmt.Errorf("a resumed run keeps its settings; only %s may change, not %s",
			strings.Join(allowed, ", "), strings.Join(refused, ", "))
	}
	return changed, nil
}
