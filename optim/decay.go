package optim

// LinearDecay is the reference's LinearLrDecay (functions.py): the learning
// rate falls linearly from Start to End between the D steps DecayStart and
// DecayEnd.
//
// Quirk kept from the reference: the new rate is written to the optimiser
// only strictly inside (DecayStart, DecayEnd); at or before DecayStart, and
// at or after DecayEnd, Step returns Start or End without touching the
// optimiser, so the optimiser keeps the last rate set inside the interval.
// Called every n_critic D steps, as the reference calls it (at generator
// steps), that rate is End + n_critic·(Start−End)/(DecayEnd−DecayStart) at
// most. The reference's scripts never enable the decay.
type LinearDecay struct {
	Opt                  *Adam
	Start, End           float64
	DecayStart, DecayEnd int64
}

// Step returns the learning rate for global D step t, and writes it to
// Opt.LR only strictly inside (DecayStart, DecayEnd).
func (d *LinearDecay) Step(t int64) float64 {
	switch {
	case t <= d.DecayStart:
		return d.Start
	case t >= d.DecayEnd:
		return d.End
	}
	delta := (d.Start - d.End) / float64(d.DecayEnd-d.DecayStart)
	lr := d.Start - float64(delta*float64(t-d.DecayStart)) // float64(…): never fused into an FMA, as Python computes it
	d.Opt.LR = lr
	return lr
}
