//go:build race

package runreport

// raceEnabled: the race detector slows the code down tenfold, beyond any
// CPU-time bound.
const raceEnabled = true
