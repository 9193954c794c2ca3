package metrics

import "fmt"

// Protocol is how many images an evaluation compares. Papers report FID
// under different protocols, and the numbers are not comparable across
// them (docs/metrics.md §4).
type Protocol struct {
	Name      string
	Generated int // generated images scored
	Real      int // real images of the FID statistics
}

// ParseProtocol returns a protocol by name:
//
//	reference  50,000 generated images against the 50,000 training images,
//	           as AutoGAN's validate (functions.py) and TTUR compute FID
//	sngan      5,000 generated images against 10,000 real ones, the SN-GAN
//	           paper's protocol
func ParseProtocol(name string) (Protocol, error) {
	switch name {
	case "reference":
		return Protocol{Name: name, Generated: 50000, Real: 50000}, nil
	case "sngan":
		return Protocol{Name: name, Generated: 5000, Real: 10000}, nil
	}
	return Protocol{}, fmt.Errorf("protocol %q: want reference or sngan", name)
}
