package nas

import (
	"fmt"
	"strings"
)

// Presets are named starting configurations. Each is the reference's
// settings with a few overrides, so a preset states only what it changes.

// PresetNames lists the search presets.
var PresetNames = []string{"demo", "paper", "tiny"}

// TrainPresetNames lists the training presets.
var TrainPresetNames = []string{"demo", "paper", "stl10", "tiny"}

// referenceGAN is what the reference's scripts share (exps/*.sh): CIFAR-10
// at 32×32, latent 128, G batch 128, D batch 64, Adam 2e-4 with betas
// (0, 0.9), n_critic 5, xavier_uniform, the TensorFlow Inception protocol.
func referenceGAN() GANConfig {
	return GANConfig{Seed: 12345, Dataset: "cifar10",
		Latent: 128, BottomWidth: 4, ImgSize: 32, InitType: InitXavierUniform,
		GenBatch: 128, DisBatch: 64, GLR: 2e-4, DLR: 2e-4, Beta1: 0, Beta2: 0.9, NCritic: 5,
		EvalBatch: 100, Preprocess: "tf", LogEvery: 100}
}

// Preset returns the named search configuration.
func Preset(name string) (Config, error) {
	// paper: exps/autogan_search.sh (reference §4.1).
	c := Config{Preset: name, GANConfig: referenceGAN(),
		SharedEpochs: 15, MaxIters: 65, GrowStep1: 15, GrowStep2: 35,
		CtrlSteps: 30, CtrlLR: 3.5e-4, Hidden: 100, BaselineDecay: 0.9, EntropyCoeff: 1e-3, NumCandidates: 10, TopK: 5,
		Reward: RewardIS, RewardImages: 5000,
		DynamicReset: true, ResetThreshold: 1e-3, ResetWindow: 500,
		Strategy: MLAS, RandomArchs: 20, RandomSteps: 11730, GridSize: 64}
	c.GF, c.DF = 128, 64
	switch name {
	case "paper":
	case "demo":
		// The whole algorithm — three stages, growth, top-K prefixes,
		// REINFORCE, dynamic reset windows — on the built-in Shapes-10
		// data with small networks, in minutes on two cores.
		c.Dataset, c.DatasetN = "shapes10", 4096
		c.GF, c.DF, c.GenBatch, c.DisBatch = 32, 32, 64, 32
		c.SharedEpochs, c.MaxIters, c.GrowStep1, c.GrowStep2, c.CtrlSteps = 1, 9, 3, 6, 8
		c.RewardImages, c.ResetWindow = 500, 50
		c.RandomArchs, c.RandomSteps, c.LogEvery = 8, 128, 16
	case "tiny":
		// Seconds, for tests.
		c.Seed, c.Dataset, c.DatasetN = 7, "shapes10", 96
		c.GF, c.DF, c.Latent, c.GenBatch, c.DisBatch, c.NCritic = 8, 8, 16, 16, 16, 2
		c.SharedEpochs, c.MaxIters, c.GrowStep1, c.GrowStep2 = 1, 3, 1, 2
		c.CtrlSteps, c.Hidden, c.NumCandidates, c.TopK = 3, 16, 4, 2
		c.RewardImages, c.EvalBatch, c.ResetWindow = 40, 20, 4
		c.RandomArchs, c.RandomSteps, c.LogEvery, c.GridSize = 3, 8, 2, 16
	default:
		return Config{}, unknownPreset(name, PresetNames)
	}
	return c, nil
}

// TrainPreset returns the named training configuration.
func TrainPreset(name string) (TrainConfig, error) {
	// paper: exps/derive.sh and exps/autogan_cifar10_a.sh (reference §5.1).
	c := TrainConfig{Preset: name, Arch: "autogan_cifar10_a", GANConfig: referenceGAN(),
		MaxIter: 50000, EMADecay: 0.999, ValFreq: 20, EvalImages: 50000, GridImages: 25}
	c.GF, c.DF = 256, 128
	switch name {
	case "paper":
	case "stl10":
		// exps/autogan_cifar10_a2stl10.sh: architecture A at bottom width
		// 6, 48×48 images of STL-10's train+unlabeled split.
		c.Dataset, c.BottomWidth, c.ImgSize, c.ValFreq = "stl10", 6, 48, 10
	case "demo":
		// The built-in dataset and scorer, under ten minutes on two cores.
		// The reference's recipe (n_critic 5, Adam betas (0, 0.9), one
		// learning rate) is tuned for 50,000 generator steps; in the ~2,000
		// steps a demo can afford it leaves colour blobs (FID 53-74 against
		// the embedded scorer in runs of five and ten minutes). The demo
		// trains as fast GANs do instead: one discriminator step per
		// generator step, Adam betas
		// (0.5, 0.999), and the two time-scale update rule (Heusel et al.,
		// "GANs Trained by a Two Time-Scale Update Rule", NeurIPS 2017: the
		// discriminator learns four times faster), with generator batches of
		// 32. The loss, the networks, the EMA and the evaluation stay the
		// reference's. Its EMA decay is 0.99 instead of 0.999, because an
		// average with a time constant of 1,000 steps would still be mostly
		// the early weights after 2,048.
		c.Dataset, c.DatasetN = "shapes10", 8192
		c.GF, c.DF, c.GenBatch, c.DisBatch = 32, 32, 32, 32
		c.NCritic, c.Beta1, c.Beta2, c.GLR, c.DLR = 1, 0.5, 0.999, 2e-4, 8e-4
		c.MaxIter, c.EMADecay, c.ValFreq, c.EvalImages, c.LogEvery = 2048, 0.99, 2, 2000, 32
	case "tiny":
		// Seconds, for tests.
		c.Seed, c.Dataset, c.DatasetN = 5, "shapes10", 64
		c.GF, c.DF, c.Latent, c.GenBatch, c.DisBatch, c.NCritic = 8, 8, 16, 16, 16, 2
		c.MaxIter, c.EMADecay, c.ValFreq, c.EvalImages, c.EvalBatch = 8, 0.99, 1, 200, 20
		c.LogEvery, c.GridImages = 2, 9
	default:
		return TrainConfig{}, unknownPreset(name, TrainPresetNames)
	}
	return c, nil
}

// MustPreset is Preset for the names of PresetNames.
func MustPreset(name string) Config {
	c, err := Preset(name)
	if err != nil {
		panic(err)
	}
	return c
}

// MustTrainPreset is TrainPreset for the names of TrainPresetNames.
func MustTrainPreset(name string) TrainConfig {
	c, err := TrainPreset(name)
	if err != nil {
		panic(err)
	}
	return c
}

func unknownPreset(name string, names []string) error {
	return fmt.Errorf("unknown preset %q (%s)", name, strings.Join(names, ", "))
}
