package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding options through {@code batchwise run}: what each changes in the vectors written. */
class EmbeddingOptionsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LONG = "The quick brown fox jumps over the lazy dog near the quiet river bank, "
            + "and then it runs into the forest where the old trees stand tall against the evening sky.";

    @TempDir
    Path dir;

    private Path texts(String... lines) throws Exception {
        return Files.writeString(dir.resolve("in-" + System.nanoTime() + ".txt"), String.join("\n", lines) + "\n");
    }

    private List<JsonNode> run(Path in, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-q", "--format", "text"));
        args.addAll(List.of(options));
        args.add(in.toString());
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.lines()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static float[] vector(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    @Test
    void aPrefixIsPutBeforeTheText() throws Exception {
        List<JsonNode> prefixed = run(texts("a red car"), "--prefix", "query: ");
        List<JsonNode> typed = run(texts("query: a red car", "a red car"));
        assertClose(vector(typed.get(0).get("embedding")), vector(prefixed.get(0).get("embedding")), 1e-6, "prefix");
        assertFalse(norm(minus(vector(typed.get(1).get("embedding")), vector(prefixed.get(0).get("embedding"))))
                < 1e-3, "the prefix must change the vector");
    }

    @Test
    void aModelsOwnQueryPrefixAndAModelWithoutOne() throws Exception {
        List<JsonNode> query = run(texts("a red car"), "-m", "e5-small-v2-q", "--query");
        List<JsonNode> typed = run(texts("a red car"), "-m", "e5-small-v2-q", "--prefix", "query: ");
        assertClose(vector(typed.get(0).get("embedding")), vector(query.get(0).get("embedding")), 1e-6, "--query");

        Cli.Run none = Cli.run("run", "-q", "--format", "text", "--query", texts("a").toString());
        assertEquals(ExitCodes.USAGE, none.exitCode(), none::toString);
        assertTrue(none.err().contains("model 'minilm' defines no query or passage prefix; give the prefix text itself"),
                none::toString);
        Cli.Run both = Cli.run("run", "-q", "--query", "--prefix", "x", texts("a").toString());
        assertEquals(ExitCodes.USAGE, both.exitCode(), both::toString);
        assertTrue(both.err().contains("--prefix and --query exclude each other"), both::toString);
    }

    @Test
    void poolingAndNormalisation() throws Exception {
        Path in = texts("a red car");
        float[] mean = vector(run(in).get(0).get("embedding"));
        float[] raw = vector(run(in, "--no-normalize").get(0).get("embedding"));
        float[] cls = vector(run(in, "--pooling", "cls").get(0).get("embedding"));
        assertEquals(1.0, norm(mean), 1e-5);
        assertTrue(Math.abs(norm(raw) - 1.0) > 0.01, "unnormalised: " + norm(raw));
        float[] scaled = raw.clone();
        double n = norm(raw);
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (scaled[i] / n);
        }
        assertClose(mean, scaled, 1e-5, "--no-normalize is the same direction");
        assertEquals(1.0, norm(cls), 1e-5);
        assertTrue(norm(minus(mean, cls)) > 0.05, "cls pooling must differ from mean pooling");

        Cli.Run bad = Cli.run("run", "-q", "--pooling", "max", in.toString());
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("--pooling"), bad::toString);
    }

    @Test
    void eachChunkIsTheVectorOfItsOwnText() throws Exception {
        List<JsonNode> each = run(texts(LONG, "short"), "--chunk", "12", "--chunk-overlap", "3",
                "--chunk-output", "each");
        JsonNode chunks = each.get(0).get("chunks");
        assertTrue(chunks.size() >= 3, each.get(0).toString());
        List<String> pieces = new ArrayList<>();
        int[] cps = LONG.codePoints().toArray();
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode c = chunks.get(i);
            assertEquals(i, c.get("index").asInt());
            pieces.add(new String(cps, c.get("start").asInt(), c.get("end").asInt() - c.get("start").asInt()));
        }
        assertEquals(0, chunks.get(0).get("start").asInt());
        assertEquals(LONG.length(), chunks.get(chunks.size() - 1).get("end").asInt());
        assertTrue(chunks.get(1).get("start").asInt() < chunks.get(0).get("end").asInt(), "pieces overlap");
        assertEquals(1, each.get(1).get("chunks").size(), "a record that fits is one piece");
        List<JsonNode> alone = run(texts(pieces.toArray(String[]::new)));
        for (int i = 0; i < pieces.size(); i++) {
            assertClose(vector(alone.get(i).get("embedding")), vector(chunks.get(i).get("embedding")), 2e-5,
                    "piece " + i + " '" + pieces.get(i) + "'");
        }

        List<JsonNode> mean = run(texts(LONG), "--chunk", "12", "--chunk-overlap", "3");
        float[] sum = new float[384];
        for (JsonNode c : chunks) {
            float[] v = vector(c.get("embedding"));
            for (int d = 0; d < sum.length; d++) {
                sum[d] += v[d];
            }
        }
        double n = norm(sum);
        for (int d = 0; d < sum.length; d++) {
            sum[d] = (float) (sum[d] / n);
        }
        assertClose(sum, vector(mean.get(0).get("embedding")), 1e-5, "mean of the pieces");
    }

    @Test
    void chunkSettingsWithoutAChunkSizeAreRefused() throws Exception {
        Path in = texts("a");
        Cli.Run overlap = Cli.run("run", "-q", "--chunk-overlap", "4", in.toString());
        assertEquals(ExitCodes.USAGE, overlap.exitCode(), overlap::toString);
        assertTrue(overlap.err().contains("--chunk-overlap applies to chunks: give --chunk TOKENS too"),
                overlap::toString);
        Cli.Run tooMuch = Cli.run("run", "-q", "--chunk", "4", "--chunk-overlap", "4", in.toString());
        assertEquals(ExitCodes.USAGE, tooMuch.exitCode(), tooMuch::toString);
        assertTrue(tooMuch.err().contains("--chunk-overlap 4 must be less than --chunk 4"), tooMuch::toString);
        Cli.Run fn = Cli.run("run", "-q", "--fn", "echo", "--prefix", "x", in.toString());
        assertEquals(ExitCodes.USAGE, fn.exitCode(), fn::toString);
        assertTrue(fn.err().contains("are for models"), fn::toString);
    }

    @Test
    void embeddingFormats() throws Exception {
        Path in = texts("a red car");
        float[] f = vector(run(in).get(0).get("embedding"));
        float[] half = vector(run(in, "--embedding-format", "float16").get(0).get("embedding"));
        assertClose(f, half, 1e-3, "float16");
        JsonNode int8 = run(in, "--embedding-format", "int8").get(0).get("embedding");
        assertEquals(384, int8.size());
        for (int i = 0; i < 384; i++) {
            assertTrue(int8.get(i).isInt() && int8.get(i).asInt() >= -128 && int8.get(i).asInt() <= 127);
            // sentence-transformers' formula over [-1, 1]: (x + 1) / (2 / 255) - 128, toward zero
            assertEquals((int) ((f[i] + 1) / (2f / 255) - 128), int8.get(i).asInt(), 1, "int8 [" + i + "]");
        }
        JsonNode binary = run(in, "--embedding-format", "binary").get(0).get("embedding");
        assertEquals(48, binary.size());
        for (int b = 0; b < 48; b++) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                bits = bits << 1 | (f[b * 8 + k] > 0 ? 1 : 0);
            }
            assertEquals(bits - 128, binary.get(b).asInt(), "binary byte " + b);
        }
        String base64 = run(in, "--embedding-format", "base64").get(0).get("embedding").asText();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[384];
        bytes.asFloatBuffer().get(decoded);
        assertClose(f, decoded, 0, "base64");
    }

    @Test
    void statsSayTheSettingsAndAResumeWithOtherSettingsIsRefused() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"a\"}\n{oops\n{\"text\": \"c\"}\n");
        Path out = dir.resolve("out.jsonl");
        Path stats = dir.resolve("stats.json");
        Cli.Run stopped = Cli.run("run", "-q", "-b", "1", "-w", "1", "--on-error", "stop", "--prefix", "p: ",
                "--embedding-format", "int8", "-o", out.toString(), "--stats-json", stats.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        JsonNode settings = JSON.readTree(stats.toFile()).get("settings");
        assertEquals("int8", settings.get("embedding_format").asText(), settings::toString);
        assertTrue(settings.get("embedding").asText().contains("prefix \"p: \""), settings::toString);
        assertTrue(Files.exists(dir.resolve("out.jsonl.partial")), stopped::toString);

        Cli.Run other = Cli.run("run", "-q", "-b", "1", "--resume", "--prefix", "q: ", "--embedding-format", "int8",
                "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.USAGE, other.exitCode(), other::toString);
        assertTrue(other.err().contains("it was written with --prefix p: , this run has q: "), other::toString);
        Cli.Run format = Cli.run("run", "-q", "-b", "1", "--resume", "--prefix", "p: ", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.USAGE, format.exitCode(), format::toString);
        assertTrue(format.err().contains("--embedding-format"), format::toString);
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
