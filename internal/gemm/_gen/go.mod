// The generator of the GEMM micro-kernels lives in its own module so that the
// main module never depends on it; `go build ./...` ignores folders starting with _.
module github.com/autogan-go/autogan/internal/gemm/_gen

go 1.26
