//go:build !race

package runreport

const raceEnabled = false
