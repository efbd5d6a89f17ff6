package dev.batchwise.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's matrix-product ceiling as ONNX Runtime reaches it: the median speed of one square
 * fp32 {@code MatMul} (sgemm) and one uint8 x int8 {@code MatMulInteger}, each a one-node model
 * whose second operand is a constant (so prepacked, as a model's weights are), on the given number of
 * intra-op threads. {@code scripts/bench-models} divides a model's arithmetic rate by it.
 *
 * <p>Usage: {@code java -cp 'target/batchwise.jar:target/lib/*' dev.batchwise.model.MatMulCeiling
 * [threads [size [repeats]]]}; prints one JSON object: {@code sgemm_gflops} and
 * {@code int8_gops} (10^9 multiply-adds x 2 per second).
 */
public final class MatMulCeiling {

    private MatMulCeiling() {}

    public static void main(String[] args) throws OrtException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        double sgemm = medianGigaOps(false, threads, size, repeats);
        double int8 = medianGigaOps(true, threads, size, repeats);
        System.out.printf(java.util.Locale.ROOT,
                "{\"engine\": \"onnxruntime\", \"threads\": %d, \"size\": %d, \"repeats\": %d, "
                        + "\"sgemm_gflops\": %.1f, \"int8_gops\": %.1f}%n", threads, size, repeats, sgemm, int8);
    }

    private static double medianGigaOps(boolean integer, int threads, int size, int repeats) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SplittableRandom random = new SplittableRandom(42);
        byte[] model = model(integer, size, random);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor a = input(env, integer, size, random)) {
                List<Double> rates = new ArrayList<>();
                for (int i = 0; i < repeats + 2; i++) {
                    long start = System.nanoTime();
                    try (OrtSession.Result r = session.run(Map.of("a", a))) {
                        long nanos = System.nanoTime() - start;
                        if (i >= 2) { // the first runs warm up the thread pool and caches
                            rates.add(2.0 * size * size * size / nanos);
                        }
                    }
                }
                Collections.sort(rates);
                return rates.get(rates.size() / 2);
            }
        }
    }

    private static OnnxTensor input(OrtEnvironment env, boolean integer, int size, SplittableRandom random)
            throws OrtException {
        long[] shape = {size, size};
        if (integer) {
            ByteBuffer data = ByteBuffer.allocateDirect(size * size);
            for (int i = 0; i < size * size; i++) {
                data.put((byte) random.nextInt(256));
            }
            data.flip();
            return OnnxTensor.createTensor(env, data, shape, ai.onnxruntime.OnnxJavaType.UINT8);
        }
        java.nio.FloatBuffer data = ByteBuffer.allocateDirect(4 * size * size).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < size * size; i++) {
            data.put((float) random.nextDouble(-1, 1));
        }
        data.flip();
        return OnnxTensor.createTensor(env, data, shape);
    }

    /** a [size, size] (input) times b [size, size] (a constant): fp32 MatMul or u8 x s8 MatMulInteger. */
    private static byte[] model(boolean integer, int size, SplittableRandom random) {
        ByteBuffer b = ByteBuffer.allocate((integer ? 1 : 4) * size * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size * size; i++) {
            if (integer) {
                b.put((byte) (random.nextInt(256) - 128));
            } else {
                b.putFloat((float) random.nextDouble(-1, 1));
            }
        }
        UnknownFieldSet node = OnnxProto.node(integer ? "MatMulInteger" : "MatMul", "product", List.of("a", "b"),
                List.of("c"));
        UnknownFieldSet weight = OnnxProto.tensor("b", integer ? OnnxProto.INT8 : OnnxProto.FLOAT, b.array(), size, size);
        UnknownFieldSet graph = UnknownFieldSet.newBuilder()
                .addField(OnnxProto.GRAPH_NODE, OnnxProto.messagesField(List.of(node)))
                .addField(OnnxProto.GRAPH_INITIALIZER, OnnxProto.messagesField(List.of(weight)))
                .addField(OnnxProto.GRAPH_INPUT, OnnxProto.messagesField(List.of(
                        OnnxProto.valueInfo("a", integer ? OnnxProto.UINT8 : OnnxProto.FLOAT, size, size))))
                .addField(OnnxProto.GRAPH_OUTPUT, OnnxProto.messagesField(List.of(
                        OnnxProto.valueInfo("c", integer ? OnnxProto.INT32 : OnnxProto.FLOAT, size, size))))
                .build();
        return OnnxProto.model(7, 13, graph);
    }
}
