// Package layers provides the neural-network building blocks of AutoGAN,
// each matching its PyTorch counterpart in computation, initialisation and
// parameter names.
//
// # Modules
//
// A [Module] lists its parameters and buffers under PyTorch-style dotted
// names ([Module.State]) and switches between training and evaluation mode
// ([Module.SetTraining]). Names follow torch's state_dict exactly, so weights
// move between the two without renaming: a generator's
// "cell2.skip_in_ops.0.weight" or "to_rgb.0.running_mean" here is the same
// tensor as in a PyTorch checkpoint. [LoadStateDict] copies named tensors
// into a module.
//
// Layers compute with package autodiff: Forward methods take the [autodiff.Tape]
// to record on (autodiff.NoGrad() for inference) and return variables.
//
// # The layers
//
//   - [Linear], [Conv2d], [ConvTranspose2d]: affine maps; convolutions take any
//     kernel size, stride and separate H/W padding.
//   - [BatchNorm2d] (running statistics, momentum 0.1) and [InstanceNorm2d]
//     (affine=False, no running statistics, the same in both modes).
//   - [SpectralNorm]: PyTorch's spectral_norm (u and v buffers, one power
//     iteration per forward in training mode, none in eval mode).
//   - [Embedding], [LSTMCell] (gate order i, f, g, o; two bias vectors).
//   - Upsampling, pooling and activations are functions of autodiff.Tape.
//   - [HingeLossD] and [HingeLossG]: the hinge losses of the reference.
//
// # Initialisation
//
// Constructors initialise like PyTorch's defaults (kaiming_uniform with
// a=√5, bias U(±1/√fan_in); fan_in of ConvTranspose2d from weight dimension
// 1; Embedding N(0, 1); LSTMCell U(±1/√hidden)) using the project's
// [tensor.RNG]; [XavierUniform] and [Normal] re-initialise a tensor the way
// the reference's weights_init does.
package layers
