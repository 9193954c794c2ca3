// Package cifar reads the image datasets AutoGAN trains on, from the files
// their authors distribute, and provides Shapes-10, a built-in dataset that
// needs no download.
//
// # Sources
//
//   - CIFAR-10 and CIFAR-100, binary version: the folders
//     cifar-10-batches-bin / cifar-100-binary, or the archives
//     cifar-10-binary.tar.gz / cifar-100-binary.tar.gz read directly.
//     Records are <label(s)><1024 R><1024 G><1024 B>; an official CIFAR-10
//     batch file is 30,730,000 bytes (10,000 records of 3,073).
//   - STL-10, binary version (stl10_binary): train, test, unlabeled and the
//     reference's train+unlabeled split (105,000 images). Images are stored
//     column-major and read lazily, so the 2.7 GB unlabeled file is never
//     held in memory.
//   - MNIST and Fashion-MNIST IDX files, gzipped or not, as Debian's
//     dataset-fashion-mnist package installs them. The 28×28 gray images
//     become 32×32 RGB by repeating the channel and padding two pixels of
//     black on every side (exact; no resampling blur).
//   - A folder of PNG/JPEG files (recursive, sorted; subfolders are classes).
//   - Shapes-10 ([Shapes10]): ten procedurally drawn classes of 32×32
//     images, deterministic for a seed.
//
// Every reader checks sizes and labels before trusting them and returns an
// error naming the file and what it expected.
//
// # Images and batches
//
// Images stay uint8 in memory, C×H×W (the CIFAR file layout). A [Loader]
// turns shuffled mini-batches of them into float32 tensors in [-1, 1] with
// the reference's transform (ToTensor, then Normalize(0.5, 0.5)), and can
// save and restore its position. [Resized] reproduces the reference's
// transforms.Resize, PIL's antialiased bilinear filter, bit for bit: search
// stages 0 and 1 train on CIFAR shrunk to 8×8 and 16×16, STL-10 is used at
// 48×48.
package cifar
