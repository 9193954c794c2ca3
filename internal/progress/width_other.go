//go:build !linux && !darwin

package progress

import "os"

// termWidth returns $COLUMNS or 80: the terminal is not asked on this
// system.
func termWidth(*os.File) int { return envWidth() }
