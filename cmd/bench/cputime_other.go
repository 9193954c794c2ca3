//go:build !unix

package main

// processCPU is not measured on this system; results omit cpu_ms.
func processCPU() float64 { return 0 }
