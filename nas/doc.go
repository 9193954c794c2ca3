// Package nas implements AutoGAN (Gong et al., "AutoGAN: Neural
// Architecture Search for Generative Adversarial Networks", ICCV 2019): the
// search space of generator cells, the weight-sharing generator and the
// growing discriminator, the LSTM controller trained with REINFORCE, the
// multi-level search, and the training of a discovered architecture from
// scratch. Behaviour follows the reference implementation
// (TAMU-VITA/AutoGAN); docs/reference.md of this repository describes it
// section by section, and the comments below and in the code cite it.
//
// # The search space (arch.go)
//
// A generator is a linear layer to a 4×4 (bottom width) feature map,
// three up-sampling cells and a to-RGB head. Each cell chooses a
// convolution block type (pre- or post-activation), a normalisation (none,
// batch, instance), an up-sampling (bilinear, nearest, 2×2 deconvolution),
// whether it has a shortcut, and — cells 2 and 3 — which earlier cells send
// it skip connections. An architecture is 14 integers, 4 for cell 1 and 5
// for cells 2 and 3, exactly the reference's encoding (Arch, Parse,
// String, Describe); the released models A, B and C are in Released.
//
// # The networks
//
//   - SharedGenerator (generator.go, cell.go, blocks.go) owns every
//     alternative of every cell and runs the one chosen by SetArch; this is
//     the weight sharing of the search (reference §1.2–1.4).
//   - Discriminator (discriminator.go) is the spectral-norm ResNet
//     discriminator that grows a block at stages 1 and 2 (§2.1–2.2).
//   - FixedShared and ReleasedGenerator (derived.go) are the generators of
//     one architecture for training from scratch, with the parameter names
//     of train_derived.py and of the released models, so PyTorch weights
//     load without conversion (package nas/weights).
//   - Controller (controller.go) is the LSTM that samples architectures
//     token by token; reinforce.go has its REINFORCE loss (§3, §4.5).
//
// # The search (search.go, shared.go, reinforce.go, topk.go)
//
// Searcher.Run is the search as the reference's search.py runs it, one
// iteration at a time: at the growth iterations of the multi-level search
// (MLAS) keep the top-K architecture prefixes with the controller's hidden
// states, start a new controller for the next cell and grow the images and
// the discriminator (grow, topk.go); train the shared GAN with an
// architecture sampled by the controller for every discriminator batch,
// stopping early when the variance of the recent losses collapses (the
// dynamic reset, trainShared, shared.go, runstats.go); train the controller
// with REINFORCE on the Inception Score of generated images (the reward,
// trainController, reinforce.go, reward.go); after a reset, re-create the
// GAN. At the end the top K of the last controller are the discovered
// architectures (result.json).
//
// The ablations of the paper are Strategy values (strategy.go): MLAS (the
// paper), SLAS (one controller for all cells), RandomShared and
// RandomIndependent (random search with and without weight sharing); the
// search asks a strategy what it does (Multilevel, UsesController,
// SharesWeights) and never compares names. RewardInvFID is the 1/FID
// reward of the ablation.
//
// Every unit of work is a step (steps.go), and every step boundary is a
// possible checkpoint (checkpoint.go): weights, Adam states, controllers,
// baselines, loss windows, top-K prefixes and every random stream, so
// Resume continues bit for bit, and a cancelled context (SIGTERM) stops the
// run there with ErrInterrupted. The loops of Run keep their counters in
// the checkpointed cursor, which is all resuming needs.
//
// # Where a run's files go (recorder.go)
//
// The algorithm writes nothing itself: a Recorder receives the
// configuration, the metrics, the sample grids, the checkpoints and the
// results. Package nas/rundir implements it as a run directory; the
// commands wire it in. Likewise the scorer (a metrics.Scorer) and the data
// (a cifar.Dataset) come from the caller, so this package depends on no
// file format, image codec or Inception loader.
//
// # Training a discovered architecture (train.go)
//
// Trainer trains one architecture as train.py / train_derived.py do: hinge
// loss, n_critic discriminator steps per generator step, Adam, an
// exponential moving average of the generator's parameters, and IS/FID of
// the averaged generator (with the live batch-norm statistics) every
// val_freq epochs, keeping the best checkpoints by IS and by FID. The
// paper's derived generator is the trained top-K architecture with the
// highest Inception Score (derive.go).
//
// # Quirks of the reference kept on purpose
//
// The reference's behaviour is reproduced where it differs from the paper
// or from what one might write today; each is documented where it is
// implemented:
//
//   - the skip output of a cell aliases its first block's output, to which
//     the skip inputs are added in place (cell.go, derived.go);
//   - the skip choice of a cell is one categorical token with 2^s values,
//     not s binary decisions (arch.go);
//   - the controller loss is a product of sums, a 1×T row times a T×1
//     column (reinforce.go);
//   - the entropy bonus is added to the reward and not detached, and the
//     per-token baseline restarts at every train_controller call
//     (reinforce.go, search.go);
//   - the dynamic-reset loss windows persist across iterations and stages
//     (runstats.go);
//   - a new architecture is sampled for every discriminator batch, and
//     branches not used receive no gradient while Adam still decays their
//     second moments, as PyTorch 1.1 did (shared.go, optim.Adam);
//   - the learning-rate decay, when enabled, is evaluated at generator steps
//     with the global discriminator step count (optim.LinearDecay);
//   - spectral norm runs one power iteration per discriminator call, and the
//     gradient of each call uses that call's u and v, as PyTorch's clone
//     does (autodiff.SpectralNormalize);
//   - the moving average of the generator is PyTorch's float32 mul_ then
//     add_ with the constants 0.999 and 0.001 (optim.EMA).
package nas
