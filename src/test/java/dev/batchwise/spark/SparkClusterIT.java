package dev.batchwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.Runs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real cluster on this machine: scripts/spark-cluster starts a standalone master and
 * two workers as separate JVMs on 127.0.0.1, from the Spark jars the build copies into
 * target/spark-home, submits the job with its dependencies as --jars, and stops every JVM again,
 * whatever happens. The executors load the model and the native libraries from the jars they were
 * sent, through a cache of their own. Their output must equal the command line's.
 */
class SparkClusterIT {

    /** Sentences of the STS Benchmark test set: enough for both executors to get several batches. */
    private static final int SENTENCES = 600;
    private static final long TIMEOUT_MINUTES = 12;

    @TempDir
    Path dir;

    @Test
    void theStandaloneClustersEmbeddingsEqualTheCommandLines() throws Exception {
        Path sparkHome = Path.of("target", "spark-home").toAbsolutePath();
        assertTrue(Files.isDirectory(sparkHome.resolve("jars")), "no " + sparkHome + "/jars: run mvn verify");
        List<String> sentences = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/stsbenchmark/sts-test.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && sentences.size() < SENTENCES) {
                String[] f = line.split("\t", -1);
                sentences.add(f[5]);
                sentences.add(f[6]);
            }
        }
        Path in = dir.resolve("sentences.txt");
        Files.write(in, sentences);
        Cli.Run cli = Cli.run("run", "--model", "minilm", "--cache-dir", Models.CACHE_DIR.toString(), "-q",
                in.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        List<JsonNode> expected = Runs.parse(cli.out());

        Path out = dir.resolve("out");
        Path log = dir.resolve("cluster.log");
        Process cluster = new ProcessBuilder("scripts/spark-cluster", sparkHome.toString(),
                dir.resolve("cluster").toString(), "run", "--model", "minilm", "--cache-dir",
                dir.resolve("executor-cache").toString(), "--ordered", "--partitions", "4", in.toString(),
                "-o", out.toString(), "--stats-json", dir.resolve("stats.json").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done;
        try {
            done = cluster.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } finally {
            if (cluster.isAlive()) {
                cluster.destroy(); // SIGTERM: the script's trap stops the master, the workers and the executors
                if (!cluster.waitFor(60, TimeUnit.SECONDS)) {
                    cluster.destroyForcibly();
                }
            }
        }
        String output = Files.readString(log);
        assertTrue(done, "the cluster job did not finish in " + TIMEOUT_MINUTES + " minutes:\n" + tail(output));
        assertEquals(0, cluster.exitValue(), tail(output));

        List<JsonNode> actual = SparkJobs.readJsonl(out);
        assertEquals(sentences.size(), actual.size());
        double maxDiff = 0;
        for (int i = 0; i < sentences.size(); i++) {
            assertEquals(sentences.get(i), actual.get(i).get("text").asText(), "row " + i);
            JsonNode a = actual.get(i).get("embedding");
            JsonNode e = expected.get(i).get("embedding");
            assertEquals(e.size(), a.size());
            for (int d = 0; d < a.size(); d++) {
                maxDiff = Math.max(maxDiff, Math.abs(a.get(d).asDouble() - e.get(d).asDouble()));
            }
        }
        assertTrue(maxDiff <= 1e-6, "max abs difference " + maxDiff);
        assertTrue(output.contains(sentences.size() + " records, 0 failed"), tail(output));
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }
}
