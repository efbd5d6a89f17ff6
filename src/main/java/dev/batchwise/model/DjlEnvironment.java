package dev.batchwise.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.jar.Manifest;

/**
 * Sets DJL up to run offline from the jars on the class path, before any DJL class loads (DJL reads
 * these settings in static initialisers).
 *
 * <ul>
 *   <li>{@code ai.djl.offline}: no telemetry call at start-up (DJL otherwise probes a cloud metadata
 *       address), no model-zoo lookups, no native library downloads;
 *   <li>{@code DJL_CACHE_DIR}, {@code ENGINE_CACHE_DIR}: DJL extracts the tokenizer and libtorch
 *       libraries under the batchwise cache, once;
 *   <li>for ONNX models, {@code ai.djl.onnx.disable_alternative}: keeps libtorch out of the process
 *       (it costs about half a second and 100 MB for nothing), and ONNX Runtime's own libraries are
 *       extracted once into the cache and named with {@code onnxruntime.native.path}, instead of to a
 *       fresh temporary directory on every run.
 * </ul>
 *
 * A setting the user gave (as a system property or an environment variable) is left alone. Each
 * setting is made once per process: DJL reads most of them only once.
 */
public final class DjlEnvironment {

    /** The ONNX Runtime native libraries inside com.microsoft.onnxruntime:onnxruntime. */
    private static final String ORT_NATIVE = "ai/onnxruntime/native/linux-x64/";
    private static final String[] ORT_LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so"};

    /** DJL's tokenizers native library inside ai.djl.huggingface:tokenizers, and how DJL is told where it is. */
    private static final String TOKENIZERS_NATIVE = "native/lib/linux-x86_64/cpu/libtokenizers.so";
    private static final String RUST_LIBRARY_PATH = "RUST_LIBRARY_PATH";

    /** Guarded by the class: which settings have been made in this process. */
    private static boolean common;
    private static boolean onnxReady;
    private static boolean pytorchReady;

    private DjlEnvironment() {}

    /**
     * @param onnx whether the model runs on ONNX Runtime (else on PyTorch)
     * @param threadsPerWorker the intra-op threads of each worker's model, for PyTorch, whose thread
     *     setting is global to the process
     */
    public static synchronized void prepare(ModelCache cache, boolean onnx, int threadsPerWorker) throws IOException {
        if (!common) {
            setDefault("ai.djl.offline", "true");
            setDefault("OPT_OUT_TRACKING", "true");
            setDefault("DJL_CACHE_DIR", cache.root().resolve("djl").toString());
            setDefault("ENGINE_CACHE_DIR", cache.root().resolve("engines").toString());
            if (System.getenv(RUST_LIBRARY_PATH) == null && System.getProperty(RUST_LIBRARY_PATH) == null
                    && isLinuxX64()) {
                // the tokenizer library goes through the cache's content check, not DJL's unchecked copy
                Path lib = cache.extract(TOKENIZERS_NATIVE, "tokenizers/" + jarVersion(TOKENIZERS_NATIVE)
                        + "/libtokenizers.so");
                System.setProperty(RUST_LIBRARY_PATH, lib.toString());
            }
            common = true;
        }
        if (onnx && !onnxReady) {
            setDefault("ai.djl.onnx.disable_alternative", "true");
            setDefault("ai.djl.default_engine", "OnnxRuntime");
            if (System.getProperty("onnxruntime.native.path") == null && isLinuxX64()) {
                Path dir = null;
                for (String lib : ORT_LIBRARIES) {
                    dir = cache.extract(ORT_NATIVE + lib, "onnxruntime/" + ortVersion() + "/" + lib).getParent();
                }
                System.setProperty("onnxruntime.native.path", dir.toString());
            }
            onnxReady = true;
        } else if (!onnx && !pytorchReady) {
            setDefault("ai.djl.default_engine", "PyTorch");
            setDefault("ai.djl.pytorch.num_threads", Integer.toString(threadsPerWorker));
            setDefault("ai.djl.pytorch.num_interop_threads", "1");
            pytorchReady = true;
        }
    }

    private static boolean isLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** The ONNX Runtime version, from its jar's manifest, to name the cache directory. */
    static String ortVersion() {
        return jarVersion(ORT_NATIVE + ORT_LIBRARIES[0]);
    }

    /** The version of the jar that holds {@code resource}, from its manifest, or "current". */
    static String jarVersion(String resource) {
        URL url = DjlEnvironment.class.getClassLoader().getResource(resource);
        String spec = url == null ? "" : url.toString();
        int bang = spec.indexOf("!/");
        if (spec.startsWith("jar:") && bang > 0) {
            try (InputStream in = new URL(spec.substring(0, bang + 2) + "META-INF/MANIFEST.MF").openStream()) {
                String v = new Manifest(in).getMainAttributes().getValue("Implementation-Version");
                if (v != null && v.matches("[0-9A-Za-z._-]+")) {
                    return v;
                }
            } catch (IOException e) {
                // fall through: the directory is still named, and files are checked by content
            }
        }
        return "current";
    }

    private static void setDefault(String key, String value) {
        if (System.getenv(key) == null && System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
