// The generator of the Winograd transform kernels lives in its own module so
// that the main module never depends on it; `go build ./...` ignores folders
// starting with _.
module github.com/autogan-go/autogan/internal/winograd/_gen

go 1.26
