package dev.batchwise.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;

/**
 * The versions of the model runtime (DJL, its engines, their native libraries) on the class path,
 * for {@code --version}.
 *
 * <p>Contract: reads only the version files and manifests those jars carry, through the given
 * class loader; it loads no engine class and no native library, so it costs a few resource
 * look-ups, works without the DJL jars (then it says so), and never reaches the network.
 * Each line is one component, in the order DJL, engines, tokenizers.
 */
final class RuntimeVersions {

    /** DJL's API jar: {@code djl_version}. */
    static final String DJL_API = "ai/djl/engine/api.properties";
    /** DJL's PyTorch engine jar: {@code djl_version}, {@code pytorch_version}. */
    static final String PYTORCH_ENGINE = "pytorch-engine.properties";
    /** The bundled libtorch jar (pytorch-native-cpu): {@code version}, {@code flavor}, {@code classifier}. */
    static final String PYTORCH_NATIVE = "native/lib/pytorch.properties";
    /** A class of DJL's ONNX Runtime engine jar, which has no version file of its own. */
    static final String ONNX_ENGINE = "ai/djl/onnxruntime/engine/OrtEngine.class";
    /** A class of Microsoft's ONNX Runtime jar, whose manifest has the Implementation-Version. */
    static final String ONNX_RUNTIME = "ai/onnxruntime/OrtEnvironment.class";
    /** DJL's HuggingFace tokenizers jar: {@code version}, as TOKENIZERS-DJL. */
    static final String TOKENIZERS = "native/lib/tokenizers.properties";

    private RuntimeVersions() {}

    /** The lines for {@code --version}: one per component found, or one saying there is no DJL. */
    static List<String> lines(ClassLoader loader) {
        Optional<Properties> djl = properties(loader, DJL_API);
        if (djl.isEmpty()) {
            return List.of("DJL: not on the class path (built-in functions only)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("DJL " + djl.get().getProperty("djl_version", "(version unknown)"));
        properties(loader, PYTORCH_ENGINE).ifPresent(engine -> {
            String nativeLib = properties(loader, PYTORCH_NATIVE)
                    .map(p -> "native " + p.getProperty("version", "?") + " " + p.getProperty("flavor", "?") + " "
                            + p.getProperty("classifier", "?"))
                    .orElse("no native library bundled");
            lines.add("  engine PyTorch " + engine.getProperty("pytorch_version", "(version unknown)") + " ("
                    + nativeLib + ")");
        });
        if (loader.getResource(ONNX_ENGINE) != null) {
            String version = manifestOf(loader, ONNX_RUNTIME)
                    .map(m -> m.getMainAttributes().getValue("Implementation-Version"))
                    .orElse(null);
            lines.add("  engine OnnxRuntime " + (version == null ? "(runtime jar missing)" : version));
        }
        properties(loader, TOKENIZERS).ifPresent(p -> {
            String version = p.getProperty("version", "(version unknown)");
            int dash = version.indexOf('-');
            lines.add("  HuggingFace tokenizers " + (dash > 0 ? version.substring(0, dash) : version));
        });
        return lines;
    }

    private static Optional<Properties> properties(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The manifest of the jar that holds {@code resource}; empty when it is not in a jar. */
    private static Optional<Manifest> manifestOf(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            return Optional.ofNullable(((JarURLConnection) connection).getManifest());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
