package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.Spearman;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Accuracy against a published number: all-MiniLM-L6-v2 on the STS Benchmark test set, cosine
 * similarity against the gold scores, Spearman correlation. MTEB publishes 0.8203 for this model; a
 * correct pipeline reproduces it whatever the batch size or batch composition.
 */
class StsBenchmarkTest {

    static final double MTEB_SPEARMAN = 0.8203;

    @TempDir
    static Path dir;

    static Path sentences;
    static double[] gold;

    /** Column 5 is the score, 6 and 7 the sentences (from 1); tab-separated, no quoting, ragged rows. */
    @BeforeAll
    static void readTestSet() throws Exception {
        List<String> lines = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                StsBenchmarkTest.class.getResourceAsStream("/stsbenchmark/sts-test.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                scores.add(Double.parseDouble(f[4]));
                lines.add(f[5]);
                lines.add(f[6]);
            }
        }
        assertEquals(1379, scores.size());
        gold = scores.stream().mapToDouble(Double::doubleValue).toArray();
        sentences = dir.resolve("sts-test-sentences.txt");
        Files.write(sentences, lines);
    }

    @ParameterizedTest(name = "max batch size {0}, group by length {1}")
    @CsvSource({"1, false", "32, true"})
    void spearmanMatchesMteb(int maxBatchSize, boolean groupByLength) {
        Cli.Run run = Cli.run("run", "--model", "minilm", "--cache-dir", Models.CACHE_DIR.toString(), "-b",
                Integer.toString(maxBatchSize), groupByLength ? "--group-by-length" : "--no-group-by-length", "-q",
                sentences.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> out = Runs.parse(run.out());
        assertEquals(2 * gold.length, out.size());
        double[] cosine = new double[gold.length];
        for (int i = 0; i < gold.length; i++) {
            JsonNode a = out.get(2 * i).get("embedding");
            JsonNode b = out.get(2 * i + 1).get("embedding");
            double dot = 0;
            for (int d = 0; d < a.size(); d++) {
                dot += a.get(d).asDouble() * b.get(d).asDouble();
            }
            cosine[i] = dot; // embeddings have unit length
        }
        assertEquals(MTEB_SPEARMAN, Spearman.of(cosine, gold), 0.001);
    }
}
