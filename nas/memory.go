package nas

// MemoryNeed estimates the memory a search or a training run needs at
// least, for images training images of size×size pixels held in memory:
// the images (uint8, and for a search their copies at 8×8 and 16×16), and
// the activations a generator and a discriminator step keep for the
// backward pass (about 40 feature maps of gf or df channels per image at
// the image size). It is a lower bound — the buffer cache and the garbage
// collector need more — so a run refused for it could never have fit.
func (c *GANConfig) MemoryNeed(images int) uint64 {
	px := uint64(c.ImgSize) * uint64(c.ImgSize)
	data := uint64(images) * 3 * px * (1 + 1 + 1) // the images, their resized copies, the loader's batches in flight
	const maps = 40                               // feature maps kept per image for the backward pass
	g := uint64(c.GenBatch) * uint64(c.GF) * px * 4 * maps
	d := 2 * uint64(c.DisBatch) * uint64(c.DF) * px * 4 * maps // D(real) and D(fake)
	return data + g + d
}
