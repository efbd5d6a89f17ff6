package dev.batchwise.image;

/** Where the channel axis of an image batch goes, as the model's input declares it. */
public enum Layout {
    /** {@code [batch, channels, height, width]}: PyTorch's and Hugging Face's exports. */
    NCHW,
    /** {@code [batch, height, width, channels]}: TensorFlow's and Keras's. */
    NHWC
}
