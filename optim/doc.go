// Package optim updates parameters from their gradients: Adam exactly as
// PyTorch computes it, an exponential moving average of parameters (the
// reference's EMA of the generator), and the reference's linear
// learning-rate decay. Every optimiser's state can be saved to and restored
// from a checkpoint, so a resumed run continues bit for bit.
package optim
