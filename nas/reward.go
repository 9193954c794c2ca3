package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/tensor"
)

// rewardImages is the image source of a reward, as the reference's get_is
// generates it: image i is G(z_i), with z ~ N(0, 1), as
// uint8(trunc(clamp(127.5·x + 127.5, 0, 255))). Its n latents are drawn up
// front from one stream (the reward's), where GeneratedImages gives each
// image a child stream of its own: rewards keep the search's random
// streams as they were. The caller puts G in eval mode (batch norm from
// its running statistics). It implements metrics.Images so rewards use
// the same scoring code as evaluation.
type rewardImages struct {
	g       *SharedGenerator
	n, size int
	z       *tensor.Tensor // n×latent, drawn up front from the reward stream
}

func (gi *rewardImages) Len() int         { return gi.n }
func (gi *rewardImages) Size() (h, w int) { return gi.size, gi.size }

func (gi *rewardImages) Fill(start, n int, pix []uint8) error {
	z := gi.z.Rows(start, start+n)
	img := Generate(gi.g, z)
	for i, v := range img.Data() {
		pix[i] = tensor.FloatToPixel(v)
	}
	img.Release()
	return nil
}

// reward scores architecture a of the shared generator at stage: the mean
// Inception Score of RewardImages generated images (10 splits), or 1/FID
// against the real data's statistics when Reward is "fid" (the paper's
// ablation). It also returns the IS (for logs).
func (s *Searcher) reward(a Arch, stage int) (rew, is float64, err error) {
	return s.rewardWith(a, stage, s.rngReward)
}

// ScoreArch is the reward of a whole architecture under the shared
// generator as it is now, at full resolution: after a search, the proxy
// that the paper's Fig. 7 compares with the score of the same architecture
// trained from scratch. Its latents come from a stream of their own seeded
// by seed, so architectures scored with one seed see the same latents, and
// the search's streams are left as they were.
func (s *Searcher) ScoreArch(a Arch, seed uint64) (reward, is float64, err error) {
	if len(a.Cells) != 3 {
		return 0, 0, fmt.Errorf("ScoreArch: %q is not a whole architecture (3 cells)", a)
	}
	return s.rewardWith(a, 2, tensor.NewRNG(seed))
}

func (s *Searcher) rewardWith(a Arch, stage int, rng *tensor.RNG) (rew, is float64, err error) {
	c := &s.Cfg
	n := c.RewardImages / c.EvalBatch * c.EvalBatch // num_img // eval_batch_size batches
	s.G.SetArch(a, stage)
	s.G.SetTraining(false)
	defer s.G.SetTraining(true)
	z := tensor.New(n, c.Latent)
	rng.FillNormal(z, 0, 1)
	defer z.Release()
	src := &rewardImages{g: s.G, n: n, size: c.ImageSizeOf(stage), z: z}
	// eval_batch_size fixes how many images count (above); the scorer picks
	// its own batch, which bounds memory and cannot change a bit of the
	// result (TestGenerationIsBatchIndependent, TestBatchSizeDoesNotChangeResults).
	e, err := metrics.Evaluate(src, s.Scorer, metrics.EvalConfig{})
	if err != nil {
		return 0, 0, err
	}
	if is, _, err = e.InceptionScore(); err != nil {
		return 0, 0, err
	}
	if c.Reward == RewardIS {
		return is, is, nil
	}
	mu, sigma, err := s.realStats(stage)
	if err != nil {
		return 0, 0, err
	}
	fid, err := e.FID(mu, sigma)
	if err != nil {
		return 0, 0, err
	}
	if fid <= 0 {
		return 0, is, fmt.Errorf("FID %v is not positive", fid)
	}
	return 1 / fid, is, nil
}

// realStats returns (and caches) the feature statistics of up to
// RewardImages real images at the stage's resolution, for the FID reward.
func (s *Searcher) realStats(stage int) (mu, sigma []float64, err error) {
	if st, ok := s.realFeatures[stage]; ok {
		return st[0], st[1], nil
	}
	data, err := s.stageData(stage)
	if err != nil {
		return nil, nil, err
	}
	var src metrics.Images = metrics.DatasetImages(data)
	if data.Len() > s.Cfg.RewardImages {
		src = firstImages{src, s.Cfg.RewardImages}
	}
	e, err := metrics.Evaluate(src, s.Scorer, metrics.EvalConfig{})
	if err != nil {
		return nil, nil, err
	}
	if mu, sigma, err = e.Features.MeanCov(); err != nil {
		return nil, nil, err
	}
	s.realFeatures[stage] = [2][]float64{mu, sigma}
	return mu, sigma, nil
}

type firstImages struct {
	metrics.Images
	n int
}

func (f firstImages) Len() int { return f.n }

// stageData returns the dataset resized to the stage's resolution with
// PIL's antialiased bilinear filter, as the reference's loader rebuilt at
// each growth (Resize(2^(stage+3))).
func (s *Searcher) stageData(stage int) (*cifar.Memory, error) {
	size := s.Cfg.ImageSizeOf(stage)
	if m, ok := s.resized[size]; ok {
		return m, nil
	}
	m, err := cifar.Resized(s.Data, size)
	if err != nil {
		return nil, err
	}
	s.resized[size] = m
	return m, nil
}
