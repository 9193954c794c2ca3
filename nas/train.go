package nas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// trainCursor is the position of a training run (part of every checkpoint).
type trainCursor struct {
	Epoch      int     `json:"epoch"`
	GlobalStep int     `json:"global_step"` // D steps since the start (the reference's global_steps)
	GenSteps   int     `json:"gen_steps"`
	Evaluating bool    `json:"evaluating"`
	BestFID    float64 `json:"best_fid"` // 1e4 before the first evaluation, as the reference
	BestEpoch  int     `json:"best_epoch"`
	// BestIS is the highest Inception Score so far and BestISEpoch its
	// epoch: the paper chooses the derived generator by IS (§3.3.3).
	BestIS      float64      `json:"best_is"`
	BestISStd   float64      `json:"best_is_std"`
	BestISEpoch int          `json:"best_is_epoch"`
	History     []Evaluation `json:"history"`
	LastIS      float64      `json:"last_is"`
	LastISStd   float64      `json:"last_is_std"`
	LastFID     float64      `json:"last_fid"`
	LastD       float64      `json:"last_d_loss"`
	LastG       float64      `json:"last_g_loss"`
	Done        bool         `json:"done"`
	TotalSteps  int          `json:"total_steps"`
}

// Trainer trains one architecture from scratch as the reference's train.py
// and train_derived.py do: the hinge loss, n_critic D steps per G step with
// a continuous step counter, Adam, an exponential moving average (EMA) of
// G's parameters after every G step, and every val_freq epochs (and after
// the last) IS and FID of the EMA generator, whose batch norms use the live
// generator's running statistics.
type Trainer struct {
	Cfg    TrainConfig
	Rec    Recorder // the run directory
	Scorer metrics.Scorer
	Data   cifar.Dataset
	Report *progress.Reporter
	OnStep func(total int)

	G, evalG Generator
	D        *Discriminator
	optG     *optim.Adam
	optD     *optim.Adam
	ema      *optim.EMA
	decayG   *optim.LinearDecay
	decayD   *optim.LinearDecay
	loader   *cifar.Loader
	cur      trainCursor

	root, rngZ, rngData *tensor.RNG
	evaluator           *metrics.Evaluator
	realMu, realSigma   []float64
	maxEpoch            int
	steps               *steps
	overridden          bool // settings changed on resume: config.json follows at the next checkpoint
}

// The checkpoints of a training run directory: the latest state, the best
// by FID (the reference's checkpoint_best.pth) and the best by Inception
// Score (the paper's derived generator, §3.3.3).
const (
	trainCheckpoint  = "checkpoint.safetensors"
	bestCheckpoint   = "best.safetensors"
	bestISCheckpoint = "best_is.safetensors"
	evalPartial      = "eval_partial.eval"
)

// Evaluation is one evaluation of the EMA generator during training.
type Evaluation struct {
	Epoch    int     `json:"epoch"` // 1-based, as printed
	GenSteps int     `json:"g_steps"`
	IS       float64 `json:"is_mean"`
	ISStd    float64 `json:"is_std"`
	FID      float64 `json:"fid"`
	Images   int     `json:"images"`
}

// NewTrainer prepares a new training run recorded by rec.
func NewTrainer(cfg TrainConfig, rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t, err := newTrainer(cfg, rec, scorer, data, rep)
	if err != nil {
		return nil, err
	}
	if err := rec.WriteJSON("config.json", withEngine{cfg}); err != nil {
		return nil, err
	}
	if err := rec.Event(schemaRecord("train")); err != nil {
		return nil, err
	}
	t.cur.BestFID = 1e4
	return t, nil
}

func newTrainer(cfg TrainConfig, rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Trainer, error) {
	if rep == nil {
		rep = progress.New(io.Discard, false, time.Hour)
	}
	root := tensor.NewRNG(cfg.Seed)
	t := &Trainer{Cfg: cfg, Rec: rec, Scorer: scorer, Data: data, Report: rep, root: root,
		rngZ: root.Child("z"), rngData: root.Child("data")}
	var err error
	gi := root.Child("init/G")
	if t.G, err = NewGenerator(cfg.Arch, cfg.GF, cfg.BottomWidth, cfg.Latent, gi); err != nil {
		return nil, err
	}
	if err := initGenerator(t.G, cfg.InitType, gi); err != nil {
		return nil, err
	}
	if t.evalG, err = NewGenerator(cfg.Arch, cfg.GF, cfg.BottomWidth, cfg.Latent, tensor.NewRNG(0)); err != nil {
		return nil, err
	}
	di := root.Child("init/D")
	t.D = NewDiscriminator(cfg.DF, di)
	if err := t.D.InitReference(cfg.InitType, di); err != nil {
		return nil, err
	}
	t.optG = optim.NewAdam(layers.NamedParams(t.G), cfg.GLR, cfg.Beta1, cfg.Beta2)
	t.optD = optim.NewAdam(layers.NamedParams(t.D), cfg.DLR, cfg.Beta1, cfg.Beta2)
	t.ema = optim.NewEMA(layers.NamedParams(t.G), cfg.EMADecay)
	if t.loader, err = cifar.NewLoader(data, cfg.DisBatch, t.rngData); err != nil {
		return nil, err
	}
	t.loader.SetPrefetch(true)
	// max_epoch = ceil(max_iter·n_critic / len(loader)): 320 epochs on CIFAR.
	// Every epoch runs to its end, as in the reference (train_derived.py), so
	// training overshoots max_iter: 50,048 G steps on CIFAR instead of 50,000,
	// and the progress line may show "G step 308/300".
	t.maxEpoch = (cfg.MaxIter*cfg.NCritic + t.loader.BatchesPerEpoch() - 1) / t.loader.BatchesPerEpoch()
	t.setDecay()
	return t, nil
}

// setDecay sets the learning-rate decay of the configuration (none when
// lr_decay is off): from the start rate to 0 over max_iter·n_critic D
// steps (the reference's LinearLrDecay).
func (t *Trainer) setDecay() {
	t.decayG, t.decayD = nil, nil
	if !t.Cfg.LRDecay {
		return
	}
	end := int64(t.Cfg.MaxIter * t.Cfg.NCritic)
	t.decayG = &optim.LinearDecay{Opt: t.optG, Start: t.Cfg.GLR, End: 0, DecayStart: 0, DecayEnd: end}
	t.decayD = &optim.LinearDecay{Opt: t.optD, Start: t.Cfg.DLR, End: 0, DecayStart: 0, DecayEnd: end}
}

func initGenerator(g Generator, kind InitType, rng *tensor.RNG) error {
	switch gg := g.(type) {
	case *ReleasedGenerator:
		return gg.InitReference(kind, rng)
	case *FixedShared:
		return gg.InitReference(kind, rng)
	}
	return fmt.Errorf("unknown generator type %T", g)
}

// MaxEpoch is the number of epochs the run trains.
func (t *Trainer) MaxEpoch() int { return t.maxEpoch }

// PlannedGenSteps returns the generator steps of the whole run: one at
// every n_critic-th D step (the first included) of MaxEpoch whole epochs,
// max_iter or a little more.
func (t *Trainer) PlannedGenSteps() int {
	d := t.maxEpoch * t.loader.BatchesPerEpoch()
	return (d + t.Cfg.NCritic - 1) / t.Cfg.NCritic
}

// where names the training's position in messages, counting epochs from 1
// as the progress line does (the metrics log's "epoch" counts from 0).
func (t *Trainer) where() string {
	return fmt.Sprintf("epoch %d/%d, D step %d", t.cur.Epoch+1, t.maxEpoch, t.cur.GlobalStep)
}

// Run trains until done (nil), failure, or cancellation (ErrInterrupted
// after a checkpoint). The loop is the reference's train.py (reference
// §5.2):
//
//	for each epoch:
//	    D steps over the data, each n_critic-th followed by a G step and
//	        the moving average of G's parameters
//	    at evaluation epochs: IS and FID of the averaged generator
//	    checkpoints: latest, best by IS, best by FID
//
// A resumed run continues from its cursor inside either part.
func (t *Trainer) Run(ctx context.Context) error {
	defer t.Rec.Close()
	defer t.Report.Done()
	if err := t.ensureRealStats(); err != nil {
		return err
	}
	t.steps = &steps{ctx: ctx, total: &t.cur.TotalSteps, onStep: t.OnStep, log: func(m string) { t.Report.Log("%s", m) },
		save: func() error { return t.checkpoint(trainCheckpoint) }, where: t.where}
	for !t.cur.Done {
		// The epoch's D steps; its last one starts the evaluation, or
		// ends the epoch when none is due.
		for epoch := t.cur.Epoch; t.cur.Epoch == epoch && !t.cur.Evaluating && !t.cur.Done; {
			if err := t.steps.do(t.trainStep); err != nil {
				return err
			}
		}
		// The evaluation, one block of images per step; its last step
		// ends the epoch.
		for t.cur.Evaluating {
			if err := t.steps.do(t.evalStep); err != nil {
				return err
			}
		}
	}
	return nil
}

// trainStep is one D step and, every n_critic global D steps, a G step
// followed by the EMA update.
func (t *Trainer) trainStep() error {
	c := &t.Cfg
	if t.cur.GlobalStep == 0 && t.cur.Epoch == 0 {
		t.Report.Start(fmt.Sprintf("epoch 1/%d", t.maxEpoch), t.loader.BatchesPerEpoch(), "D steps")
	}
	real, last, err := t.loader.Next()
	if err != nil {
		return err
	}
	defer real.Release()
	t.cur.LastD = DiscriminatorStep(t.G, t.D, t.optD, real, t.rngZ, c.Latent)
	if err := t.checkFinite(namedValue{"the discriminator's loss", t.cur.LastD}, namedOptimizer{"the discriminator's weights", t.optD}); err != nil {
		return err
	}

	if t.cur.GlobalStep%c.NCritic == 0 {
		t.cur.LastG = GeneratorStep(t.G, t.D, t.optG, t.rngZ, c.GenBatch, c.Latent)
		if err := t.checkFinite(namedValue{"the generator's loss", t.cur.LastG}, namedOptimizer{"the generator's weights", t.optG}); err != nil {
			return err
		}
		if t.decayG != nil { // evaluated at G steps with the global D step count
			t.decayG.Step(int64(t.cur.GlobalStep))
			t.decayD.Step(int64(t.cur.GlobalStep))
		}
		t.ema.Update()
		t.cur.GenSteps++
	}
	if t.cur.GlobalStep%c.LogEvery == 0 {
		if err := t.Rec.Event(map[string]any{"event": "train", "epoch": t.cur.Epoch, "step": t.cur.GlobalStep,
			"g_steps": t.cur.GenSteps, "d_loss": t.cur.LastD, "g_loss": t.cur.LastG,
			"g_lr": t.optG.LR, "d_lr": t.optD.LR}); err != nil {
			return err
		}
	}
	t.cur.GlobalStep++
	batches := (t.loader.Position().Index + c.DisBatch - 1) / c.DisBatch // of this epoch
	if last {
		batches = t.loader.BatchesPerEpoch()
	}
	t.Report.Update(batches, fmt.Sprintf("D loss %.3f G loss %.3f (G step %d/%d)", t.cur.LastD, t.cur.LastG, t.cur.GenSteps, c.MaxIter))
	if !last {
		return nil
	}
	// End of an epoch: evaluate when the reference does, then checkpoint.
	e := t.cur.Epoch
	if e != 0 && e%c.ValFreq == 0 || e == t.maxEpoch-1 {
		return t.startEval()
	}
	return t.endEpoch(false, false)
}

// startEval copies the EMA parameters and the live buffers (batch-norm
// statistics) into the evaluation generator and begins scoring it.
func (t *Trainer) startEval() error {
	t.cur.Evaluating = true
	if err := t.loadEvalG(); err != nil {
		return err
	}
	var err error
	// The scorer's batch is its own (memory only; results are
	// batch-independent in eval mode), not eval_batch_size.
	t.evaluator, err = metrics.NewEvaluator(t.evalImages(), t.Scorer, metrics.EvalConfig{})
	if err != nil {
		return err
	}
	t.Report.Start(fmt.Sprintf("evaluating epoch %d", t.cur.Epoch+1), t.Cfg.EvalImages, "images")
	return nil
}

// loadEvalG sets the evaluation generator to the EMA weights with the live
// model's buffers (the reference loads the averaged parameters into G and
// keeps G's batch-norm running statistics).
func (t *Trainer) loadEvalG() error {
	live := t.G.State("")
	ev := t.evalG.State("")
	avg := t.ema.Averages()
	k := 0
	for i, e := range live {
		dst := ev[i]
		switch {
		case e.Param != nil:
			dst.Param.Value.CopyFrom(avg[k])
			k++
		case e.Counter != nil:
			*dst.Counter = *e.Counter
		default:
			dst.Buffer.CopyFrom(e.Buffer)
		}
	}
	t.evalG.SetTraining(false)
	return nil
}

// evalImages generates the evaluation images of the EMA generator from
// latents of the stream of this evaluation (a pure function of the seed and
// the epoch, so a resumed evaluation generates the same images).
func (t *Trainer) evalImages() metrics.Images {
	return GeneratedImages(t.evalG, t.Cfg.EvalImages, t.root.Child(fmt.Sprintf("eval/epoch%d", t.cur.Epoch)))
}

// evalStep scores one block; after the last, it records IS and FID, keeps
// the best checkpoint by FID and ends the epoch.
func (t *Trainer) evalStep() error {
	if t.evaluator == nil { // resumed in the middle of an evaluation
		if err := t.startEval(); err != nil {
			return err
		}
		if partial, err := metrics.LoadEval(t.Rec.File(evalPartial)); err == nil {
			if err := t.evaluator.Continue(partial); err != nil {
				return err
			}
			// The progress line counts on from the images scored before
			// the interruption, and its rate only from those scored now.
			done, _ := t.evaluator.Scored()
			t.Report.StartAt(fmt.Sprintf("evaluating epoch %d", t.cur.Epoch+1), t.Cfg.EvalImages, done, "images")
		}
	}
	if !t.evaluator.Done() {
		if err := t.evaluator.Step(); err != nil {
			return err
		}
		done, _ := t.evaluator.Scored()
		t.Report.Update(done, "")
		return nil
	}
	e := t.evaluator.Eval
	is, isStd, err := e.InceptionScore()
	if err != nil {
		return err
	}
	fid, err := e.FID(t.realMu, t.realSigma)
	if err != nil {
		return err
	}
	t.cur.LastIS, t.cur.LastISStd, t.cur.LastFID = is, isStd, fid
	t.cur.History = append(t.cur.History, Evaluation{Epoch: t.cur.Epoch + 1, GenSteps: t.cur.GenSteps,
		IS: is, ISStd: isStd, FID: fid, Images: t.Cfg.EvalImages})
	bestFID := fid < t.cur.BestFID
	if bestFID {
		t.cur.BestFID, t.cur.BestEpoch = fid, t.cur.Epoch
	}
	bestIS := is > t.cur.BestIS
	if bestIS {
		t.cur.BestIS, t.cur.BestISStd, t.cur.BestISEpoch = is, isStd, t.cur.Epoch
	}
	if err := t.Rec.Event(map[string]any{"event": "eval", "epoch": t.cur.Epoch, "g_steps": t.cur.GenSteps, "d_steps": t.cur.GlobalStep,
		"is_mean": is, "is_std": isStd, "fid": fid, "best_fid": t.cur.BestFID, "best_is": t.cur.BestIS, "images": t.Cfg.EvalImages}); err != nil {
		return err
	}
	t.Report.Log("epoch %d: IS %.3f ± %.3f, FID %.3f (best IS %.3f at epoch %d, best FID %.3f at epoch %d)", t.cur.Epoch+1,
		is, isStd, fid, t.cur.BestIS, t.cur.BestISEpoch+1, t.cur.BestFID, t.cur.BestEpoch+1)
	if err := t.writeGrid(); err != nil {
		return err
	}
	t.cur.Evaluating = false
	t.evaluator = nil
	os.Remove(t.Rec.File(evalPartial))
	return t.endEpoch(bestFID, bestIS)
}

// endEpoch writes the latest checkpoint (and the best ones by FID and by
// IS when this epoch's evaluation improved them) and moves on.
func (t *Trainer) endEpoch(bestFID, bestIS bool) error {
	t.cur.Epoch++
	if t.cur.Epoch >= t.maxEpoch {
		t.cur.Done = true
	} else {
		t.Report.Start(fmt.Sprintf("epoch %d/%d", t.cur.Epoch+1, t.maxEpoch), t.loader.BatchesPerEpoch(), "D steps")
	}
	if bestFID {
		if err := t.checkpoint(bestCheckpoint); err != nil {
			return err
		}
	}
	if bestIS {
		if err := t.checkpoint(bestISCheckpoint); err != nil {
			return err
		}
	}
	if err := t.checkpoint(trainCheckpoint); err != nil {
		return err
	}
	if t.cur.Done {
		return t.Rec.WriteJSON("train_result.json", t.Summary())
	}
	return nil
}

// TrainSummary is train_result.json: the run's evaluations and its best
// checkpoints by Inception Score (the paper's choice of the derived
// generator) and by FID (the reference's checkpoint_best.pth). Epochs are
// 1-based; checkpoint names are relative to the run directory.
type TrainSummary struct {
	Arch        string       `json:"arch"`
	Epochs      int          `json:"epochs"`
	GenSteps    int          `json:"gen_steps"`
	BestIS      float64      `json:"best_is"`
	BestISStd   float64      `json:"best_is_std"`
	BestISEpoch int          `json:"best_is_epoch"`
	BestISFile  string       `json:"best_is_checkpoint"`
	BestFID     float64      `json:"best_fid"`
	BestEpoch   int          `json:"best_epoch"`
	BestFIDFile string       `json:"best_fid_checkpoint"`
	LastIS      float64      `json:"last_is"`
	LastISStd   float64      `json:"last_is_std"`
	LastFID     float64      `json:"last_fid"`
	EvalImages  int          `json:"eval_images"`
	Evaluations []Evaluation `json:"evaluations"`
	Scorer      string       `json:"scorer"`
}

// Summary returns the run's results so far.
func (t *Trainer) Summary() TrainSummary {
	return TrainSummary{Arch: t.G.Arch().String(), Epochs: t.cur.Epoch, GenSteps: t.cur.GenSteps,
		BestIS: t.cur.BestIS, BestISStd: t.cur.BestISStd, BestISEpoch: t.cur.BestISEpoch + 1, BestISFile: bestISCheckpoint,
		BestFID: t.cur.BestFID, BestEpoch: t.cur.BestEpoch + 1, BestFIDFile: bestCheckpoint,
		LastIS: t.cur.LastIS, LastISStd: t.cur.LastISStd, LastFID: t.cur.LastFID,
		EvalImages: t.Cfg.EvalImages, Evaluations: t.cur.History, Scorer: t.Scorer.Name()}
}

// writeGrid saves the sample grid of the fixed latents (25 in the
// reference) with the EMA generator.
func (t *Trainer) writeGrid() error {
	n := t.Cfg.GridImages
	z := t.root.Child("fixed_z").Normals(n, t.Cfg.Latent)
	img := Generate(t.evalG, z)
	pix := tensor.ToUint8(img)
	img.Release()
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	return t.Rec.Grid(fmt.Sprintf("samples/epoch_%03d.png", t.cur.Epoch+1), pix, n, t.Cfg.ImgSize, t.Cfg.ImgSize, cols, 2)
}

// ensureRealStats loads the FID statistics of the real data, or computes
// them once with the scorer over the training set and caches them in the
// run directory (real_stats.npz).
func (t *Trainer) ensureRealStats() error {
	path := t.Cfg.FIDStats
	if path == "" {
		path = t.Rec.File("real_stats.npz")
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			t.Report.Log("computing the FID statistics of %d training images with %s", t.Data.Len(), t.Scorer.Name())
			e, err := metrics.Evaluate(metrics.DatasetImages(t.Data), t.Scorer,
				metrics.EvalConfig{Progress: t.Report, Stage: "real statistics"})
			if err != nil {
				return err
			}
			mu, sigma, err := e.Features.MeanCov()
			if err != nil {
				return err
			}
			if err := metrics.WriteStatsFile(path, mu, sigma); err != nil {
				return err
			}
		}
	}
	var err error
	if t.realMu, t.realSigma, err = metrics.ReadStatsFile(path); err != nil {
		return err
	}
	// Checked now, not at the first evaluation after an epoch of training.
	if d := t.Scorer.FeatureDim(); len(t.realMu) != d {
		return fmt.Errorf("%s holds statistics of %d features; %s gives %d", path, len(t.realMu), t.Scorer.Name(), d)
	}
	return nil
}

// checkpoint writes the run state: live G (and its buffers), the EMA
// averages, D, both optimisers, the loader position, the random streams and
// the cursor. During an evaluation the scored blocks go to a partial file.
func (t *Trainer) checkpoint(name string) error {
	w := ckpt.NewWriter()
	w.Meta("format", "autogan-go train v1")
	cfg, err := json.Marshal(t.Cfg)
	if err != nil {
		return fmt.Errorf("checkpoint: configuration: %w", err)
	}
	w.Meta("config", string(cfg))
	w.Meta("arch", t.G.Arch().String())
	cur, err := json.Marshal(t.cur)
	if err != nil {
		return fmt.Errorf("checkpoint: cursor: %w", err)
	}
	w.Bytes("cursor", cur)
	layers.Save(w, "gen.", t.G)
	t.ema.Save(w, "ema.")
	layers.Save(w, "dis.", t.D)
	t.optG.Save(w, "optG.")
	t.optD.Save(w, "optD.")
	pos := t.loader.Position()
	w.Ints("loader.position", []int64{int64(pos.Epoch), int64(pos.Index)})
	w.Bytes("loader.rng", pos.RNG)
	b, _ := t.rngZ.MarshalBinary()
	w.Bytes("rng.z", b)
	if t.cur.Evaluating && t.evaluator != nil && name == trainCheckpoint {
		if err := t.evaluator.Eval.Save(t.Rec.File(evalPartial)); err != nil {
			return err
		}
	}
	if err := t.Rec.SaveCheckpoint(name, w); err != nil {
		return err
	}
	if t.overridden && name == trainCheckpoint {
		t.overridden = false
		return t.Rec.WriteJSON("config.json", withEngine{t.Cfg})
	}
	return nil
}

// ResumeTrainer reopens a training run at its latest checkpoint.
func ResumeTrainer(rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Trainer, error) {
	if !rec.Exists(trainCheckpoint) {
		return nil, errNoCheckpoint(rec, "cmd/train")
	}
	r, err := rec.OpenCheckpoint(trainCheckpoint)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if f := r.Meta("format"); f != "autogan-go train v1" {
		return nil, fmt.Errorf("resume: %s is not a training checkpoint (format %q)", r.Path(), f)
	}
	var cfg TrainConfig
	if err := json.Unmarshal([]byte(r.Meta("config")), &cfg); err != nil {
		return nil, fmt.Errorf("resume: %s: configuration: %w", r.Path(), err)
	}
	// Checked before the settings size the networks (a damaged file).
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("resume: %s: configuration: %w", r.Path(), err)
	}
	t, err := newTrainer(cfg, rec, scorer, data, rep)
	if err != nil {
		return nil, err
	}
	b, err := r.Bytes("cursor")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &t.cur); err != nil {
		return nil, fmt.Errorf("resume: %s: cursor: %w", r.Path(), err)
	}
	if c := t.cur; c.Epoch < 0 || c.Epoch > t.maxEpoch || c.GlobalStep < 0 || c.GenSteps < 0 || c.TotalSteps < 0 {
		return nil, fmt.Errorf("resume: %s: the cursor is damaged (epoch %d of %d, D step %d, G step %d)",
			r.Path(), c.Epoch, t.maxEpoch, c.GlobalStep, c.GenSteps)
	}
	if err := t.loadState(r); err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if !t.cur.Done {
		// The count goes on from the batches of this epoch done before.
		done := (t.loader.Position().Index + t.Cfg.DisBatch - 1) / t.Cfg.DisBatch
		t.Report.StartAt(fmt.Sprintf("epoch %d/%d", t.cur.Epoch+1, t.maxEpoch), t.loader.BatchesPerEpoch(), done, "D steps")
	}
	if t.cur.Done {
		t.Report.Log("%s: this training already finished (%d epochs); showing its results", rec.Path(), t.maxEpoch)
	} else {
		t.Report.Log("resumed %s at %s", rec.Path(), t.where())
	}
	return t, nil
}

func (t *Trainer) loadState(r *ckpt.Reader) error {
	if err := layers.Load(r, "gen.", t.G); err != nil {
		return err
	}
	if err := t.ema.Load(r, "ema."); err != nil {
		return err
	}
	if err := layers.Load(r, "dis.", t.D); err != nil {
		return err
	}
	if err := t.optG.Load(r, "optG."); err != nil {
		return err
	}
	if err := t.optD.Load(r, "optD."); err != nil {
		return err
	}
	pos, err := r.Ints("loader.position", 2)
	if err != nil {
		return err
	}
	rngState, err := r.Bytes("loader.rng")
	if err != nil {
		return err
	}
	if err := t.loader.Restore(cifar.Position{Epoch: int(pos[0]), Index: int(pos[1]), RNG: rngState}); err != nil {
		return err
	}
	zState, err := r.Bytes("rng.z")
	if err != nil {
		return err
	}
	return t.rngZ.UnmarshalBinary(zState)
}

// LoadGenerator reads the generator of a training checkpoint with the EMA
// weights (what the reference evaluates and test.py samples) and the live
// batch-norm statistics, in eval mode.
func LoadGenerator(path string) (Generator, TrainConfig, error) {
	var cfg TrainConfig
	r, err := ckpt.Open(path)
	if err != nil {
		return nil, cfg, err
	}
	if f := r.Meta("format"); f != "autogan-go train v1" {
		return nil, cfg, fmt.Errorf("%s is not a training checkpoint of this project (format %q)", path, f)
	}
	if err := json.Unmarshal([]byte(r.Meta("config")), &cfg); err != nil {
		return nil, cfg, err
	}
	if err := CheckWeightsFit(cfg.GF, cfg.BottomWidth, cfg.Latent, r.Numel("gen.")); err != nil {
		return nil, cfg, fmt.Errorf("%s: %w", path, err)
	}
	g, err := NewGenerator(cfg.Arch, cfg.GF, cfg.BottomWidth, cfg.Latent, tensor.NewRNG(0))
	if err != nil {
		return nil, cfg, err
	}
	if err := layers.Load(r, "gen.", g); err != nil {
		return nil, cfg, err
	}
	ema := optim.NewEMA(layers.NamedParams(g), 0)
	if err := ema.Load(r, "ema."); err != nil {
		return nil, cfg, err
	}
	ema.Swap() // the parameters now hold the averages
	g.SetTraining(false)
	return g, cfg, nil
}
