package nas

// TrainConfig holds the settings of training one architecture from
// scratch (the reference's train.py / train_derived.py).
type TrainConfig struct {
	Preset string `json:"preset" help:"the preset the settings started from"`
	Seed   uint64 `json:"seed" help:"seed of every random stream: data, weights, latents (reference: random_seed)"`
	// Arch is autogan_cifar10_{a,b,c} (the released layout) or 14 integers
	// (the search-space layout of train_derived.py).
	Arch string `json:"arch" help:"architecture: autogan_cifar10_a|b|c (the released layout) or 14 integers (the search space's)"`

	Dataset  string `json:"dataset" help:"training images; shapes10 is built in, the others are read from data_dir"`
	DataDir  string `json:"data_dir" help:"folder or archive of the dataset (reference: data_path)"`
	DatasetN int    `json:"dataset_n" help:"images of the generated shapes10 dataset"`

	GF          int      `json:"gf_dim" help:"channels of the generator"`
	DF          int      `json:"df_dim" help:"channels of the discriminator"`
	Latent      int      `json:"latent_dim" help:"dimension of the latent vector z"`
	BottomWidth int      `json:"bottom_width" help:"width of the generator's first feature map; img_size = 8 × bottom_width"`
	ImgSize     int      `json:"img_size" help:"size of the generated images in pixels; the data are resized to it"`
	InitType    InitType `json:"init_type" help:"initialisation of the conv weights: xavier_uniform|normal"`

	GenBatch int     `json:"gen_batch_size" help:"latents per generator step (reference: gen_bs)"`
	DisBatch int     `json:"dis_batch_size" help:"real images per discriminator step (reference: dis_bs)"`
	GLR      float64 `json:"g_lr" help:"Adam learning rate of the generator"`
	DLR      float64 `json:"d_lr" help:"Adam learning rate of the discriminator"`
	Beta1    float64 `json:"beta1" help:"Adam beta1 of the generator and the discriminator"`
	Beta2    float64 `json:"beta2" help:"Adam beta2 of the generator and the discriminator"`
	NCritic  int     `json:"n_critic" help:"discriminator steps per generator step"`
	MaxIter  int     `json:"max_iter" help:"generator steps; epochs = ceil(max_iter·n_critic / batches per epoch)"` // generator steps; epochs = ceil(max_iter·n_critic / batches per epoch)
	LRDecay  bool    `json:"lr_decay" help:"decay both learning rates linearly to 0 over the run"`
	EMADecay float64 `json:"ema" help:"decay of the exponential moving average of the generator, which is evaluated (fixed 0.999 in the reference)"`

	ValFreq    int    `json:"val_freq" help:"epochs between evaluations of IS and FID (and after the last)"`          // evaluate every val_freq epochs (and after the last)
	EvalImages int    `json:"num_eval_imgs" help:"generated images per evaluation"`                                   // images per evaluation
	EvalBatch  int    `json:"eval_batch_size" help:"images per evaluation batch; num_eval_imgs must be a multiple"`   // num_eval_imgs must be a multiple (as in the reference); the scorer batches by itself
	Scorer     string `json:"scorer" help:"Inception-v3 weights (.pth or .pb); empty: the embedded Shapes-10 scorer"` // Inception weights; "" = embedded scorer
	Preprocess string `json:"preprocess" help:"Inception preprocessing: tf|pytorch-fid"`
	FIDStats   string `json:"fid_stat" help:"FID statistics of the real data (.npz, mu and sigma); empty: computed from the dataset with the scorer"` // statistics of the real data (.npz); "" = computed from the dataset with the scorer
	LogEvery   int    `json:"log_every" help:"discriminator steps between logged loss records (reference: print_freq)"`
	GridImages int    `json:"grid_images" help:"images of the fixed-latent sample grids"` // fixed latents of the sample grids (25 in the reference)
}

// TrainPresets are the named training configurations.
var TrainPresets = map[string]TrainConfig{
	// paper: exps/derive.sh and exps/autogan_cifar10_a.sh.
	"paper": {Preset: "paper", Seed: 12345, Arch: "autogan_cifar10_a", Dataset: "cifar10",
		GF: 256, DF: 128, Latent: 128, BottomWidth: 4, ImgSize: 32, InitType: InitXavierUniform,
		GenBatch: 128, DisBatch: 64, GLR: 2e-4, DLR: 2e-4, Beta1: 0, Beta2: 0.9, NCritic: 5, MaxIter: 50000,
		EMADecay: 0.999, ValFreq: 20, EvalImages: 50000, EvalBatch: 100, Preprocess: "tf",
		LogEvery: 100, GridImages: 25},
	// stl10: exps/autogan_cifar10_a2stl10.sh: architecture A at bottom
	// width 6, 48×48 images of STL-10's train+unlabeled split.
	"stl10": {Preset: "stl10", Seed: 12345, Arch: "autogan_cifar10_a", Dataset: "stl10",
		GF: 256, DF: 128, Latent: 128, BottomWidth: 6, ImgSize: 48, InitType: InitXavierUniform,
		GenBatch: 128, DisBatch: 64, GLR: 2e-4, DLR: 2e-4, Beta1: 0, Beta2: 0.9, NCritic: 5, MaxIter: 50000,
		EMADecay: 0.999, ValFreq: 10, EvalImages: 50000, EvalBatch: 100, Preprocess: "tf",
		LogEvery: 100, GridImages: 25},
	// demo: the built-in dataset and scorer, about ten minutes on two
	// cores: the reference's recipe at small widths for 300 generator
	// steps. Its EMA decay is 0.99 instead of 0.999, because an average
	// with a time constant of 1,000 steps would still be mostly the
	// initial weights after 300.
	"demo": {Preset: "demo", Seed: 12345, Arch: "autogan_cifar10_a", Dataset: "shapes10", DatasetN: 8192,
		GF: 32, DF: 32, Latent: 128, BottomWidth: 4, ImgSize: 32, InitType: InitXavierUniform,
		GenBatch: 64, DisBatch: 32, GLR: 2e-4, DLR: 2e-4, Beta1: 0, Beta2: 0.9, NCritic: 5, MaxIter: 300,
		EMADecay: 0.99, ValFreq: 2, EvalImages: 2000, EvalBatch: 100, Preprocess: "tf",
		LogEvery: 20, GridImages: 25},
	// tiny: seconds, for tests.
	"tiny": {Preset: "tiny", Seed: 5, Arch: "autogan_cifar10_a", Dataset: "shapes10", DatasetN: 64,
		GF: 8, DF: 8, Latent: 16, BottomWidth: 4, ImgSize: 32, InitType: InitXavierUniform,
		GenBatch: 16, DisBatch: 16, GLR: 2e-4, DLR: 2e-4, Beta1: 0, Beta2: 0.9, NCritic: 2, MaxIter: 8,
		EMADecay: 0.99, ValFreq: 1, EvalImages: 200, EvalBatch: 20, Preprocess: "tf",
		LogEvery: 2, GridImages: 9},
}

// TrainPresetNames lists the presets in a stable order.
var TrainPresetNames = []string{"demo", "paper", "stl10", "tiny"}

// TrainPreset returns a copy of the named preset.
func TrainPreset(name string) (TrainConfig, error) {
	return lookupPreset(TrainPresets, TrainPresetNames, name)
}

// LoadConfigFile overlays a JSON object on c (unknown keys are errors).
func (c *TrainConfig) LoadConfigFile(path string) error { return overlayJSON(path, c) }

// Validate checks the settings.
func (c *TrainConfig) Validate() error {
	var p problems
	_, err := Parse(c.Arch)
	p.check(err == nil, "arch: %v", err)
	p.check(c.InitType.Valid(), "init_type must be xavier_uniform, normal or orth, not %q", c.InitType)
	p.check(c.GF > 0 && c.DF > 0 && c.Latent > 0, "gf_dim, df_dim, latent_dim must be positive")
	p.check(c.ImgSize == 8*c.BottomWidth, "img_size %d must be 8 × bottom_width %d", c.ImgSize, c.BottomWidth)
	p.check(c.GenBatch > 0 && c.DisBatch > 0 && c.NCritic > 0 && c.MaxIter > 0, "batch sizes, n_critic and max_iter must be positive")
	p.check(c.EMADecay >= 0 && c.EMADecay < 1, "ema must be in [0, 1)")
	p.check(c.ValFreq > 0, "val_freq must be positive")
	p.check(c.EvalBatch > 0 && c.EvalImages >= 10 && c.EvalImages%c.EvalBatch == 0, "num_eval_imgs must be a multiple of eval_batch_size and at least 10")
	p.check(c.LogEvery > 0 && c.GridImages > 0, "log_every and grid_images must be positive")
	return p.err()
}
