package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-row rewrite on a one-layer quantised graph in the shape ONNX Runtime's quantize_dynamic
 * writes ({@code DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale x weight scale)}), run
 * on ONNX Runtime before and after.
 */
class PerRowQuantizationTest {

    private static final int K = 4;
    private static final int N = 3;
    /** int8 weights [K, N] and their per-column scales; the fp32 weight is W * scale. */
    private static final byte[] W = {12, -7, 100, -128, 3, 45, 64, 127, -90, 5, -33, 0};
    private static final float[] W_SCALE = {0.01f, 0.02f, 0.005f};

    @TempDir
    Path dir;

    @Test
    void aRowsResultDoesNotDependOnTheOtherRows() throws Exception {
        byte[] rewritten = PerRowQuantization.rewrite(model(false), "test");
        float[] row = {0.5f, -1.25f, 0.03f, 2f};
        float[] loud = {400f, -90f, 250f, 7f}; // a batch-mate with a much wider range
        float[] alone = run(rewritten, new float[][] {row})[0];
        float[] beside = run(rewritten, new float[][] {loud, row})[1];
        assertArrayEquals(alone, beside, 0f);
        // the file's own per-tensor quantisation does depend on it: the test can tell
        byte[] original = model(false);
        assertFalse(java.util.Arrays.equals(run(original, new float[][] {row})[0],
                run(original, new float[][] {loud, row})[1]));
    }

    @Test
    void theRewrittenProductIsCloseToTheFloatProduct() throws Exception {
        byte[] rewritten = PerRowQuantization.rewrite(model(false), "test");
        float[][] x = {{0.5f, -1.25f, 0.03f, 2f}, {400f, -90f, 250f, 7f}, {0f, 0f, 0f, 0f}};
        float[][] y = run(rewritten, x);
        for (int r = 0; r < x.length; r++) {
            double rowMax = 0;
            for (float v : x[r]) {
                rowMax = Math.max(rowMax, Math.abs(v));
            }
            for (int c = 0; c < N; c++) {
                double exact = 0;
                double bound = 0;
                for (int k = 0; k < K; k++) {
                    double w = W[k * N + c] * W_SCALE[c];
                    exact += x[r][k] * w;
                    bound += Math.abs(w) * rowMax / 127 / 2; // half a step of the row's scale per term
                }
                assertEquals(exact, y[r][c], bound + 1e-6, "row " + r + ", column " + c);
            }
        }
    }

    @Test
    void theRewriteReplacesTheQuantizerAndSaysSoInTheMetadata() throws Exception {
        byte[] rewritten = PerRowQuantization.rewrite(model(false), "source sha256 abc");
        UnknownFieldSet graph = OnnxProto.messages(UnknownFieldSet.parseFrom(rewritten), OnnxProto.MODEL_GRAPH).get(0);
        List<String> ops = OnnxProto.messages(graph, OnnxProto.GRAPH_NODE).stream()
                .map(n -> OnnxProto.string(n, OnnxProto.NODE_OP_TYPE)).toList();
        assertFalse(ops.contains("DynamicQuantizeLinear"), ops.toString());
        assertTrue(ops.containsAll(List.of("ReduceMax", "Round", "MatMulInteger")), ops.toString());
        String text = new String(rewritten, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(PerRowQuantization.METADATA_KEY));
        assertTrue(text.contains("1 DynamicQuantizeLinear per row; source sha256 abc"));
    }

    @Test
    void aQuantizerWhoseOutputIsUsedElsewhereIsLeftAlone() throws Exception {
        assertNull(PerRowQuantization.rewrite(model(true), "test"));
    }

    @Test
    void aModelWithExternalDataIsLeftAlone() throws Exception {
        UnknownFieldSet model = UnknownFieldSet.parseFrom(model(false));
        UnknownFieldSet graph = OnnxProto.messages(model, OnnxProto.MODEL_GRAPH).get(0);
        List<UnknownFieldSet> initializers = new java.util.ArrayList<>();
        for (UnknownFieldSet t : OnnxProto.messages(graph, OnnxProto.GRAPH_INITIALIZER)) {
            initializers.add(t.toBuilder().addField(OnnxProto.TENSOR_DATA_LOCATION,
                    UnknownFieldSet.Field.newBuilder().addVarint(OnnxProto.EXTERNAL).build()).build());
        }
        UnknownFieldSet external = graph.toBuilder().clearField(OnnxProto.GRAPH_INITIALIZER)
                .addField(OnnxProto.GRAPH_INITIALIZER, OnnxProto.messagesField(initializers)).build();
        byte[] bytes = model.toBuilder().clearField(OnnxProto.MODEL_GRAPH)
                .addField(OnnxProto.MODEL_GRAPH, OnnxProto.bytesField(List.of(external.toByteString())))
                .build().toByteArray();
        assertNull(PerRowQuantization.rewrite(bytes, "test"));
    }

    @Test
    void theCacheKeepsOneRewritePerSourceContentAndLeavesTheSourceAlone() throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        Path source = dir.resolve("model.onnx");
        byte[] original = model(false);
        Files.write(source, original);
        Path first = PerRowQuantization.forRunning(source, cache);
        assertNotEquals(source, first);
        assertTrue(first.startsWith(cache.root()));
        assertEquals(first, PerRowQuantization.forRunning(source, cache));
        assertArrayEquals(original, Files.readAllBytes(source));

        byte[] changed = original.clone();
        int at = PerRowQuantization.indexOf(changed, "test-graph".getBytes(StandardCharsets.US_ASCII));
        changed[at] = 'T';
        Files.write(source, changed);
        Path second = PerRowQuantization.forRunning(source, cache);
        assertNotEquals(first, second);
        assertTrue(new String(Files.readAllBytes(second), StandardCharsets.ISO_8859_1).contains("Test-graph"));
        try (var files = Files.list(first.getParent())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList());
        }
    }

    @Test
    void aModelWithoutDynamicQuantizationRunsAsItIs() throws Exception {
        ModelCache cache = new ModelCache(dir.resolve("cache"));
        Path source = dir.resolve("plain.onnx");
        Files.write(source, new byte[] {8, 7, 18, 4, 't', 'e', 's', 't'});
        assertEquals(source, PerRowQuantization.forRunning(source, cache));
        assertFalse(Files.exists(cache.root()));
    }

    private static float[][] run(byte[] model, float[][] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model, options);
                OnnxTensor input = OnnxTensor.createTensor(env, x);
                OrtSession.Result result = session.run(Map.of("x", input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /**
     * x [rows, K] -> y [rows, N]; with {@code quantizedIsOutput} the quantised x is a graph output too,
     * which the rewrite must not change.
     */
    private static byte[] model(boolean quantizedIsOutput) {
        ByteBuffer scales = ByteBuffer.allocate(4 * N).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : W_SCALE) {
            scales.putFloat(s);
        }
        List<UnknownFieldSet> nodes = List.of(
                OnnxProto.node("DynamicQuantizeLinear", "dql", List.of("x"), List.of("xq", "xs", "xz")),
                OnnxProto.node("Mul", "scales", List.of("xs", "ws"), List.of("s")),
                OnnxProto.node("MatMulInteger", "mmi", List.of("xq", "w", "xz", "wz"), List.of("p")),
                OnnxProto.node("Cast", "cast", List.of("p"), List.of("pf"), OnnxProto.intAttribute("to", OnnxProto.FLOAT)),
                OnnxProto.node("Mul", "rescale", List.of("pf", "s"), List.of("y")));
        List<UnknownFieldSet> initializers = List.of(OnnxProto.tensor("w", OnnxProto.INT8, W, K, N),
                OnnxProto.tensor("wz", OnnxProto.INT8, new byte[N], N),
                OnnxProto.tensor("ws", OnnxProto.FLOAT, scales.array(), N));
        List<UnknownFieldSet> outputs = quantizedIsOutput
                ? List.of(OnnxProto.valueInfo("y", OnnxProto.FLOAT, "rows", N),
                        OnnxProto.valueInfo("xq", OnnxProto.UINT8, "rows", K))
                : List.of(OnnxProto.valueInfo("y", OnnxProto.FLOAT, "rows", N));
        UnknownFieldSet graph = UnknownFieldSet.newBuilder()
                .addField(OnnxProto.GRAPH_NODE, OnnxProto.messagesField(nodes))
                .addField(2, OnnxProto.bytesField(List.of(ByteString.copyFromUtf8("test-graph")))) // name
                .addField(OnnxProto.GRAPH_INITIALIZER, OnnxProto.messagesField(initializers))
                .addField(OnnxProto.GRAPH_INPUT,
                        OnnxProto.messagesField(List.of(OnnxProto.valueInfo("x", OnnxProto.FLOAT, "rows", K))))
                .addField(OnnxProto.GRAPH_OUTPUT, OnnxProto.messagesField(outputs))
                .build();
        return OnnxProto.model(6, 11, graph);
    }
}
