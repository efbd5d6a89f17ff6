package dev.batchwise.model;

/** The DJL engine a model file runs on. */
public enum Engine {
    /** {@code .onnx} files, on ONNX Runtime. */
    ONNX("OnnxRuntime", ".onnx"),
    /** TorchScript {@code .pt} files, on PyTorch (libtorch). */
    TORCHSCRIPT("PyTorch", ".pt");

    private final String djlName;
    private final String extension;

    Engine(String djlName, String extension) {
        this.djlName = djlName;
        this.extension = extension;
    }

    /** The engine's name in DJL, for {@code Model.newInstance}. */
    public String djlName() {
        return djlName;
    }

    public String extension() {
        return extension;
    }
}
