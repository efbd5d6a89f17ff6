package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --version} says about the model runtime, read from jars shaped like DJL 0.36's: the
 * same resource names and contents, built here so the test needs no engine.
 */
class RuntimeVersionsTest {

    @TempDir
    Path dir;

    private Path jar(String name, Map<String, String> entries, Map<String, String> manifest) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static List<String> linesWith(Path... jars) throws Exception {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            return RuntimeVersions.lines(loader);
        }
    }

    @Test
    void withoutDjlItSaysOnlyTheBuiltInsAreThere() throws Exception {
        assertEquals(List.of("DJL: not on the class path (built-in functions only)"), linesWith());
    }

    @Test
    void namesDjlEachEngineItsNativeLibraryAndTheTokenizers() throws Exception {
        Path api = jar("api-0.36.0.jar", Map.of(RuntimeVersions.DJL_API, "djl_version=0.36.0"), Map.of());
        Path pytorch = jar("pytorch-engine-0.36.0.jar",
                Map.of(RuntimeVersions.PYTORCH_ENGINE, "djl_version=0.36.0\npytorch_version=2.7.1"), Map.of());
        Path pytorchNative = jar("pytorch-native-cpu-2.7.1-linux-x86_64.jar", Map.of(RuntimeVersions.PYTORCH_NATIVE,
                "version=2.7.1-20250812\nflavor=cpu\nclassifier=linux-x86_64\nlibraries=libc10.so,libtorch.so"),
                Map.of());
        Path onnxEngine = jar("onnxruntime-engine-0.36.0.jar", Map.of(RuntimeVersions.ONNX_ENGINE, ""), Map.of());
        Path onnxRuntime = jar("onnxruntime-1.21.1.jar", Map.of(RuntimeVersions.ONNX_RUNTIME, ""),
                Map.of("Implementation-Title", "onnxruntime", "Implementation-Version", "1.21.1"));
        Path tokenizers = jar("tokenizers-0.36.0.jar", Map.of(RuntimeVersions.TOKENIZERS, "version=0.21.0-0.36.0"),
                Map.of());

        assertEquals(List.of(
                "DJL 0.36.0",
                "  engine PyTorch 2.7.1 (native 2.7.1-20250812 cpu linux-x86_64)",
                "  engine OnnxRuntime 1.21.1",
                "  HuggingFace tokenizers 0.21.0"),
                linesWith(api, pytorch, pytorchNative, onnxEngine, onnxRuntime, tokenizers));
    }

    @Test
    void saysWhatIsMissingWhenAnEngineCameWithoutItsRuntime() throws Exception {
        Path api = jar("api.jar", Map.of(RuntimeVersions.DJL_API, "djl_version=0.36.0"), Map.of());
        Path pytorch = jar("pytorch-engine.jar",
                Map.of(RuntimeVersions.PYTORCH_ENGINE, "djl_version=0.36.0\npytorch_version=2.7.1"), Map.of());
        Path onnxEngine = jar("onnxruntime-engine.jar", Map.of(RuntimeVersions.ONNX_ENGINE, ""), Map.of());

        assertEquals(List.of(
                "DJL 0.36.0",
                "  engine PyTorch 2.7.1 (no native library bundled)",
                "  engine OnnxRuntime (runtime jar missing)"),
                linesWith(api, pytorch, onnxEngine));
    }
}
