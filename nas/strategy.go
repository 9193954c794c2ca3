package nas

// Strategy names how a search proposes architectures: the paper's method
// or one of the baselines of its ablation study (paper §4.3).
type Strategy string

const (
	// MLAS is the paper's multi-level architecture search: a controller
	// searches cell 1 at 8×8 pixels, then cell 2 at 16×16 from the top-K
	// cell-1 prefixes, then cell 3 at 32×32 (reference §4.2).
	MLAS Strategy = "mlas"
	// SLAS is single-level search: one controller proposes whole
	// architectures at full resolution from the start (paper Fig. 10).
	SLAS Strategy = "slas"
	// RandomShared proposes uniformly random architectures, all trained
	// with the shared weights (paper §4.3.5: IS 8.09 with sharing).
	RandomShared Strategy = "random"
	// RandomIndependent trains each uniformly random architecture with its
	// own freshly initialised GAN (paper §4.3.5: IS 7.97 without sharing).
	RandomIndependent Strategy = "random-independent"
)

// Strategies lists the strategies in the order help texts show them.
var Strategies = []Strategy{MLAS, SLAS, RandomShared, RandomIndependent}

// traits is what a strategy does; the search asks these questions and
// never compares strategy names.
type traits struct {
	multilevel bool // grows the architecture cell by cell with top-K prefixes
	controller bool // a controller learns what to propose (else uniformly random)
	shared     bool // every architecture trains the one shared GAN (else its own)
}

func (s Strategy) traits() (traits, bool) {
	switch s {
	case MLAS:
		return traits{multilevel: true, controller: true, shared: true}, true
	case SLAS:
		return traits{controller: true, shared: true}, true
	case RandomShared:
		return traits{shared: true}, true
	case RandomIndependent:
		return traits{}, true
	}
	return traits{}, false
}

// Valid reports whether s is one of Strategies.
func (s Strategy) Valid() bool { _, ok := s.traits(); return ok }

// Multilevel reports whether the search grows the architecture cell by
// cell (MLAS).
func (s Strategy) Multilevel() bool { t, _ := s.traits(); return t.multilevel }

// UsesController reports whether a controller trained with REINFORCE
// proposes the architectures; otherwise they are uniformly random.
func (s Strategy) UsesController() bool { t, _ := s.traits(); return t.controller }

// SharesWeights reports whether all architectures train one shared GAN;
// otherwise each architecture is trained from scratch on its own.
func (s Strategy) SharesWeights() bool { t, _ := s.traits(); return t.shared }

// Reward names what the controller is rewarded with.
type Reward string

const (
	// RewardIS is the Inception Score of generated images (the paper).
	RewardIS Reward = "is"
	// RewardInvFID is 1/FID against the real images (the paper's ablation,
	// Fig. 8; its code was not released with the reference).
	RewardInvFID Reward = "fid"
)

// Valid reports whether r is RewardIS or RewardInvFID.
func (r Reward) Valid() bool { return r == RewardIS || r == RewardInvFID }
