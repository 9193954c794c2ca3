// The generator of the element-wise kernels lives in its own module so that
// the main module never depends on it; `go build ./...` ignores folders
// starting with _.
module github.com/autogan-go/autogan/internal/vec/_gen

go 1.26
