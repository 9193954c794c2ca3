package nas

import "math"

// The settings of a search (Config) and of training an architecture from
// scratch (TrainConfig). What both runs share — the data, the networks,
// the GAN's optimisation, the scorer — is one struct, GANConfig, embedded
// in both, so a JSON file or a flag means the same thing to either. JSON
// names follow the reference's flags (cfg.py) where one exists; the help
// texts name the reference's flag where ours differs.

// GANConfig holds the settings a search and a training run share.
type GANConfig struct {
	Seed uint64 `json:"seed" help:"seed of every random stream: data, weights, latents and a search's controller (reference: random_seed)"`

	// Data.
	Dataset  string `json:"dataset" help:"training images; shapes10 is built in, the others are read from data_dir"`
	DataDir  string `json:"data_dir" help:"folder or archive of the dataset (reference: data_path)"`
	DatasetN int    `json:"dataset_n" help:"training images: shapes10 generates this many (0: 50,000); another dataset keeps its first dataset_n (0: all)"`

	// Networks.
	GF          int      `json:"gf_dim" help:"channels of the generator's cells"`
	DF          int      `json:"df_dim" help:"channels of the discriminator's blocks"`
	Latent      int      `json:"latent_dim" help:"dimension of the latent vector z"`
	BottomWidth int      `json:"bottom_width" help:"width of the generator's first feature map; img_size = 8 × bottom_width"`
	ImgSize     int      `json:"img_size" help:"size of the generated images in pixels; the data are resized to it"`
	InitType    InitType `json:"init_type" help:"initialisation of the conv weights: xavier_uniform|normal|orth"`

	// GAN training.
	GenBatch int     `json:"gen_batch_size" help:"latents per generator step (reference: gen_bs)"`
	DisBatch int     `json:"dis_batch_size" help:"real images per discriminator step (reference: dis_bs)"`
	GLR      float64 `json:"g_lr" help:"Adam learning rate of the generator"`
	DLR      float64 `json:"d_lr" help:"Adam learning rate of the discriminator"`
	Beta1    float64 `json:"beta1" help:"Adam beta1 of the generator, the discriminator and a search's controller"`
	Beta2    float64 `json:"beta2" help:"Adam beta2 of the generator, the discriminator and a search's controller"`
	NCritic  int     `json:"n_critic" help:"discriminator steps per generator step"`

	// Scoring.
	EvalBatch  int    `json:"eval_batch_size" help:"images per scoring batch: a search's rewards use whole batches; a training's num_eval_imgs must be a multiple"`
	Scorer     string `json:"scorer" help:"Inception-v3 weights (.pth or .pb), or a scorer trained by cmd/trainscorer (.safetensors); empty: the embedded Shapes-10 scorer"`
	Preprocess string `json:"preprocess" help:"Inception preprocessing: tf|pytorch-fid"`
	AnyScorer  bool   `json:"any_scorer,omitempty" help:"score with a classifier trained on another dataset anyway (its IS and FID then mean little)"`

	// Output.
	LogEvery int `json:"log_every" help:"discriminator steps between logged loss records (reference: print_freq)"`
}

// Config holds every setting of a search.
type Config struct {
	Preset string `json:"preset" help:"the preset the settings started from"`
	GANConfig

	// Shared GAN training.
	SharedEpochs int `json:"shared_epoch" help:"epochs of shared-GAN training per search iteration"`

	// Search schedule.
	MaxIters  int `json:"max_search_iter" help:"search iterations"`
	GrowStep1 int `json:"grow_step1" help:"mlas: iteration at which stage 1 starts (cell 2, images 8×8 to 16×16)"`
	GrowStep2 int `json:"grow_step2" help:"mlas: iteration at which stage 2 starts (cell 3, images 16×16 to 32×32)"`

	// Controller and REINFORCE.
	CtrlSteps     int     `json:"ctrl_step" help:"controller (REINFORCE) steps per search iteration"`
	CtrlLR        float64 `json:"ctrl_lr" help:"Adam learning rate of the controller"`
	Hidden        int     `json:"hid_size" help:"hidden size of the controller's LSTM"`
	BaselineDecay float64 `json:"baseline_decay" help:"decay of the moving-average reward baseline"`
	EntropyCoeff  float64 `json:"entropy_coeff" help:"weight of the controller's entropy in the reward"`
	NumCandidates int     `json:"num_candidate" help:"architectures sampled and scored to pick the top-K"`
	TopK          int     `json:"topk" help:"best architectures kept at each growth and reported at the end"`

	// Rewards.
	Reward       Reward `json:"reward" help:"controller reward: is|fid (fid: 1/FID, the paper's ablation)"`
	RewardImages int    `json:"rl_num_eval_img" help:"generated images scored per reward"`

	// Dynamic reset.
	DynamicReset   bool    `json:"dynamic_reset" help:"restart the shared GAN when its losses stall (-dynamic_reset=false: never)"`
	ResetThreshold float64 `json:"dynamic_reset_threshold" help:"loss variance below which dynamic reset restarts the GAN"`
	ResetWindow    int     `json:"dynamic_reset_window" help:"losses (G steps) over which that variance is measured"`

	// Strategy: the paper's method or a baseline of its ablations.
	Strategy Strategy `json:"strategy" help:"search strategy: mlas|slas|random|random-independent (mlas: the paper's multi-level search)"`
	// RandomArchs and RandomSteps configure random-independent: how many
	// architectures, and how many D steps each trains.
	RandomArchs int `json:"random_archs" help:"random-independent: architectures trained"`
	RandomSteps int `json:"random_steps" help:"random-independent: discriminator steps each architecture trains"`

	// Output.
	GridSize int `json:"grid_size" help:"images in each iteration's sample grid"`
}

// TrainConfig holds the settings of training one architecture from
// scratch (the reference's train.py / train_derived.py).
type TrainConfig struct {
	Preset string `json:"preset" help:"the preset the settings started from"`
	// Arch is autogan_cifar10_{a,b,c} (the released layout) or 14 integers
	// (the search-space layout of train_derived.py).
	Arch string `json:"arch" help:"architecture: autogan_cifar10_a|b|c (the released layout) or 14 integers (the search space's)"`
	GANConfig

	MaxIter  int     `json:"max_iter" help:"generator steps; epochs = ceil(max_iter·n_critic / batches per epoch)"`
	LRDecay  bool    `json:"lr_decay" help:"decay both learning rates linearly to 0 over the run"`
	EMADecay float64 `json:"ema" help:"decay of the exponential moving average of the generator, which is evaluated (fixed 0.999 in the reference)"`

	ValFreq    int    `json:"val_freq" help:"epochs between evaluations of IS and FID (and after the last)"`
	EvalImages int    `json:"num_eval_imgs" help:"generated images per evaluation"`
	FIDStats   string `json:"fid_stat" help:"FID statistics of the real data (.npz, mu and sigma); empty: computed from the dataset with the scorer"`
	GridImages int    `json:"grid_images" help:"images of the fixed-latent sample grids (25 in the reference)"`
}

// LoadConfigFile overlays the JSON object of a file on c: keys present in
// the file replace c's values; unknown keys are an error.
func (c *Config) LoadConfigFile(path string) error { return overlayJSON(path, c) }

// LoadConfigFile overlays a JSON object on c (unknown keys are errors).
func (c *TrainConfig) LoadConfigFile(path string) error { return overlayJSON(path, c) }

// validate checks the shared settings.
func (c *GANConfig) validate(p *problems) {
	p.check(c.InitType.Valid(), "init_type must be xavier_uniform, normal or orth, not %q", c.InitType)
	p.check(c.DatasetN >= 0, "dataset_n must not be negative (0: the whole dataset, or 50,000 Shapes-10 images)")
	p.check(c.GF > 0 && c.DF > 0 && c.Latent > 0, "gf_dim, df_dim and latent_dim must be positive")
	p.check(c.ImgSize == 8*c.BottomWidth, "img_size %d must be 8 × bottom_width %d (three doubling cells)", c.ImgSize, c.BottomWidth)
	p.check(c.GenBatch > 0 && c.DisBatch > 0 && c.NCritic > 0, "batch sizes and n_critic must be positive")
	p.rate("g_lr", c.GLR)
	p.rate("d_lr", c.DLR)
	p.unit("beta1", c.Beta1)
	p.unit("beta2", c.Beta2)
	p.check(c.EvalBatch > 0, "eval_batch_size must be positive")
	p.check(c.Preprocess == "" || c.Preprocess == "tf" || c.Preprocess == "pytorch-fid", "preprocess must be tf or pytorch-fid, not %q", c.Preprocess)
	p.check(c.LogEvery > 0, "log_every must be positive")
}

// Validate checks the settings for consistency.
func (c *Config) Validate() error {
	var p problems
	c.GANConfig.validate(&p)
	p.check(c.SharedEpochs > 0, "shared_epoch must be positive")
	p.check(c.MaxIters > 0, "max_search_iter must be positive")
	p.check(!c.Strategy.Multilevel() || 0 < c.GrowStep1 && c.GrowStep1 < c.GrowStep2 && c.GrowStep2 < c.MaxIters,
		"mlas needs 0 < grow_step1 (%d) < grow_step2 (%d) < max_search_iter (%d)", c.GrowStep1, c.GrowStep2, c.MaxIters)
	p.check(c.CtrlSteps >= 0 && c.Hidden > 0, "ctrl_step must be at least 0 and hid_size positive")
	p.rate("ctrl_lr", c.CtrlLR)
	p.unit("baseline_decay", c.BaselineDecay)
	p.check(c.EntropyCoeff >= 0 && !math.IsInf(c.EntropyCoeff, 0), "entropy_coeff must be a finite number ≥ 0, not %v", c.EntropyCoeff)
	p.check(c.ResetThreshold >= 0 && !math.IsInf(c.ResetThreshold, 0), "dynamic_reset_threshold must be a finite number ≥ 0, not %v", c.ResetThreshold)
	p.check(c.TopK > 0 && c.NumCandidates >= c.TopK, "num_candidate (%d) must be at least topk (%d) > 0", c.NumCandidates, c.TopK)
	p.check(c.EvalBatch > 0 && c.RewardImages >= c.EvalBatch && c.RewardImages/c.EvalBatch*c.EvalBatch >= 10,
		"rl_num_eval_img (%d) must hold at least one eval batch (%d) and 10 images", c.RewardImages, c.EvalBatch)
	p.check(c.Reward.Valid(), "reward must be is or fid, not %q", c.Reward)
	p.check(c.ResetWindow > 1, "dynamic_reset_window must be at least 2")
	p.check(c.Strategy.Valid(), "strategy must be mlas, slas, random or random-independent, not %q", c.Strategy)
	p.check(c.Strategy.SharesWeights() || c.RandomArchs > 0 && c.RandomSteps > 0, "random-independent needs random_archs and random_steps")
	p.check(c.GridSize > 0, "grid_size must be positive")
	return p.err()
}

// Validate checks the settings.
func (c *TrainConfig) Validate() error {
	var p problems
	_, err := Parse(c.Arch)
	p.check(err == nil, "arch: %v", err)
	c.GANConfig.validate(&p)
	p.check(c.MaxIter > 0, "max_iter must be positive")
	p.unit("ema", c.EMADecay)
	p.check(c.ValFreq > 0, "val_freq must be positive")
	p.check(c.EvalBatch > 0 && c.EvalImages >= 10 && c.EvalImages%c.EvalBatch == 0, "num_eval_imgs must be a multiple of eval_batch_size and at least 10")
	p.check(c.GridImages > 0, "grid_images must be positive")
	return p.err()
}

// StageOf returns the search stage of an iteration (GrowCtrler of the
// reference): 0 before grow_step1, 1 before grow_step2, 2 after. SLAS and
// the random strategies search the whole architecture at stage 2.
func (c *Config) StageOf(iter int) int {
	if !c.Strategy.Multilevel() {
		return 2
	}
	switch {
	case iter < c.GrowStep1:
		return 0
	case iter < c.GrowStep2:
		return 1
	}
	return 2
}

// ImageSizeOf is the data resolution of a stage: 2^(stage+3) for CIFAR's
// bottom width 4 (8, 16, 32), bottom_width·2^(stage+1) in general.
func (c *Config) ImageSizeOf(stage int) int { return c.BottomWidth << (stage + 1) }
