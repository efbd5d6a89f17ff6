package dev.batchwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.model.Task;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.LocalSpark;
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
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in {@code local[2]}, on loopback: the same embeddings as the command line, failures
 * as error rows, Spark's readers on awkward input, and input order kept with {@code --ordered}.
 */
class SparkLocalTest {

    @TempDir
    Path dir;

    private static final String CACHE = Models.CACHE_DIR.toString();

    @Test
    void stsBenchmarkEmbeddingsEqualTheCommandLinesInOrder() throws Exception {
        List<String> sentences = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/stsbenchmark/sts-test.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                scores.add(Double.parseDouble(f[4]));
                sentences.add(f[5]);
                sentences.add(f[6]);
            }
        }
        Path in = dir.resolve("sts-sentences.txt");
        Files.write(in, sentences);

        Cli.Run cli = Cli.run("run", "--model", "minilm", "--cache-dir", CACHE, "-q", in.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        List<JsonNode> expected = Runs.parse(cli.out());

        Path out = dir.resolve("out");
        SparkJobs.Run job = SparkJobs.run("run", "--model", "minilm", "--cache-dir", CACHE, "--ordered",
                "--partitions", "2", in.toString(), "-o", out.toString());
        assertEquals(0, job.exitCode(), job.err());
        List<JsonNode> actual = SparkJobs.readJsonl(out);

        assertEquals(sentences.size(), actual.size());
        double maxDiff = 0;
        double[] cosine = new double[scores.size()];
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
        for (int i = 0; i < cosine.length; i++) {
            JsonNode a = actual.get(2 * i).get("embedding");
            JsonNode b = actual.get(2 * i + 1).get("embedding");
            for (int d = 0; d < a.size(); d++) {
                cosine[i] += a.get(d).asDouble() * b.get(d).asDouble();
            }
        }
        double[] gold = scores.stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(0.8203, Spearman.of(cosine, gold), 0.001);
        assertTrue(job.err().contains(dev.batchwise.util.Human.count(sentences.size(), "record") + ", 0 failed"),
                job.err());
    }

    @Test
    void theEmbeddingOptionsGiveTheCommandLinesVectors() throws Exception {
        String longText = "The quick brown fox jumps over the lazy dog near the quiet river bank, and then it runs "
                + "into the forest where the old trees stand tall against the evening sky.";
        Path in = Files.write(dir.resolve("texts.txt"), List.of("a red car", longText));
        List<String> options = List.of("--prefix", "query: ", "--pooling", "CLS", "--no-normalize", "--chunk", "12",
                "--chunk-overlap", "3");
        List<String> cliArgs = new ArrayList<>(List.of("run", "--cache-dir", CACHE, "-q", "--format", "text"));
        cliArgs.addAll(options);
        cliArgs.add(in.toString());
        Cli.Run cli = Cli.run(cliArgs.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        List<JsonNode> expected = Runs.parse(cli.out());

        Path out = dir.resolve("out");
        List<String> jobArgs = new ArrayList<>(List.of("run", "--cache-dir", CACHE, "--ordered", "--format", "text"));
        jobArgs.addAll(options);
        jobArgs.addAll(List.of(in.toString(), "-o", out.toString()));
        SparkJobs.Run job = SparkJobs.run(jobArgs.toArray(String[]::new));
        assertEquals(0, job.exitCode(), job.err());
        List<JsonNode> actual = SparkJobs.readJsonl(out);
        assertEquals(2, actual.size());
        for (int i = 0; i < 2; i++) {
            JsonNode a = actual.get(i).get("embedding");
            JsonNode e = expected.get(i).get("embedding");
            assertEquals(384, a.size());
            double norm = 0;
            for (int d = 0; d < a.size(); d++) {
                assertEquals(e.get(d).asDouble(), a.get(d).asDouble(), 1e-6, "row " + i + " [" + d + "]");
                norm += a.get(d).asDouble() * a.get(d).asDouble();
            }
            assertTrue(Math.abs(Math.sqrt(norm) - 1) > 0.01, "not normalised: " + Math.sqrt(norm));
        }
        SparkJobs.Run refused = SparkJobs.run("run", "--cache-dir", CACHE, "--cache", dir.resolve("c.db").toString(),
                in.toString(), "-o", dir.resolve("out2").toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("--cache"), refused.err());
    }

    @Test
    void aRecordTheFunctionThrowsOnGetsItsErrorRowAndTheJobFinishes() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.write(in, List.of("a", "b", "c BAD", "d", "e", "f"));
        Path stats = dir.resolve("stats.json");
        SparkJobs.Run run = SparkJobs.run("run", "--fn", "misbehave", "-b", "4", "--ordered", in.toString(), "-o",
                dir.resolve("out").toString(), "--stats-json", stats.toString());
        assertEquals(dev.batchwise.run.ExitCodes.RECORDS_FAILED, run.exitCode(), run.err());
        List<JsonNode> rows = SparkJobs.readJsonl(dir.resolve("out"));
        assertEquals(List.of("A", "B", "", "D", "E", "F"), rows.stream().map(r -> r.path("out").asText()).toList());
        JsonNode error = rows.get(2).get("error");
        assertEquals("function_error", error.get("code").asText());
        assertEquals("function 'misbehave' failed: IllegalStateException: cannot handle 'BAD'",
                error.get("message").asText());
        for (int i : new int[] {0, 1, 3, 4, 5}) {
            assertNull(rows.get(i).get("error"), rows.get(i).toString());
        }
        JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.toFile());
        // the command line's stats, by the same names and schema, its figures added up over the tasks
        assertEquals(List.of(), dev.batchwise.testing.StatsSchema.errors(s), s::toPrettyString);
        assertEquals(6, s.get("records").asLong());
        assertEquals(1, s.get("failed").asLong());
        assertTrue(s.get("retried_calls").asLong() >= 2, s.toString());
        assertEquals(s.get("calls").asLong(), s.at("/latency_ms/compute/count").asLong(), s.toString());
        assertEquals("batchwise-spark", s.at("/command_line/0").asText());
        assertEquals("misbehave", s.at("/settings/function").asText());
        assertEquals(4, s.at("/settings/max_batch_size").asInt());
        assertTrue(s.at("/settings/ordered").asBoolean(), s.toString());
        assertEquals(in.toString(), java.nio.file.Path.of(java.net.URI.create(s.at("/inputs/0/name").asText()))
                .toString());
        assertEquals(Files.size(in), s.at("/inputs/0/bytes").asLong());
        assertEquals(1, s.get("exit_code").asInt());
        assertTrue(run.err().contains("6 records, 1 failed"), run.err());
    }

    @Test
    void csvWithQuotedNewlinesIsReadAsTheCommandLineReadsIt() throws Exception {
        Path in = dir.resolve("reviews.csv");
        Files.writeString(in, "id,review\n"
                + "1,\"first line\nsecond line\"\n"
                + "2,\"a \"\"quoted\"\" word, and a comma\"\n"
                + "3,plain\n"
                + "4,\"\"\n");
        Cli.Run cli = Cli.run("run", "--fn", "echo", "--input", "text=review", "--id", "id", "-q", in.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        SparkJobs.Run run = SparkJobs.run("run", "--fn", "echo", "--input", "text=review", "--id", "id", "--ordered",
                in.toString(), "-o", dir.resolve("out").toString());
        List<JsonNode> rows = SparkJobs.readJsonl(dir.resolve("out"));
        assertEquals(0, run.exitCode(), run.err() + rows);
        List<JsonNode> expected = Runs.parse(cli.out());
        assertEquals(4, rows.size(), rows.toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(expected.get(i).get("id").asText(), rows.get(i).get("id").asText());
            assertEquals(expected.get(i).get("text").asText(), rows.get(i).path("text").asText(), rows.toString());
        }
        assertEquals("first line\nsecond line", rows.get(0).get("text").asText());
    }

    @Test
    void emptyPartitionsAndEmptyFilesGiveNoRowsAndNoFailure() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path empty = dir.resolve("b.jsonl");
        Files.write(a, List.of("{\"id\":1,\"text\":\"x\"}", "{\"id\":2,\"text\":\"y\"}", "{\"id\":3,\"text\":\"z\"}"));
        Files.writeString(empty, "");
        for (boolean ordered : new boolean[] {false, true}) {
            Path out = dir.resolve("out-" + ordered);
            List<String> args = new ArrayList<>(List.of("run", "--fn", "echo", "--id", "id", "--partitions", "8"));
            if (ordered) {
                args.add("--ordered");
            }
            args.addAll(List.of(a.toString(), empty.toString(), "-o", out.toString()));
            SparkJobs.Run run = SparkJobs.run(args.toArray(new String[0]));
            assertEquals(0, run.exitCode(), run.err());
            List<String> ids = SparkJobs.readJsonl(out).stream().map(r -> r.get("id").asText()).sorted().toList();
            assertEquals(List.of("1", "2", "3"), ids);
        }
    }

    @Test
    void orderedKeepsTheInputOrderAcrossFilesAndSplits() throws Exception {
        // Files of different sizes (Spark schedules the biggest splits first) cut into many splits.
        List<String> files = new ArrayList<>();
        int id = 0;
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            int n = new int[] {40, 400, 150}[f];
            for (int i = 0; i < n; i++) {
                id++;
                lines.add("{\"id\":" + id + ",\"text\":\"record " + id + " of file " + f + "\"}");
            }
            Path p = dir.resolve("part" + f + ".jsonl");
            Files.write(p, lines);
            files.add(p.toString());
        }
        SparkSession spark = LocalSpark.session();
        spark.conf().set("spark.sql.files.maxPartitionBytes", "2048");
        spark.conf().set("spark.sql.files.openCostInBytes", "0");
        try {
            Path out = dir.resolve("out");
            List<String> args = new ArrayList<>(List.of("run", "--fn", "echo", "--id", "id", "--ordered", "--partitions",
                    "3"));
            args.addAll(files);
            args.addAll(List.of("-o", out.toString()));
            SparkJobs.Run run = SparkJobs.run(args.toArray(new String[0]));
            assertEquals(0, run.exitCode(), run.err());
            List<JsonNode> rows = SparkJobs.readJsonl(out);
            assertEquals(id, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(i + 1, rows.get(i).get("id").asInt(), "row " + i);
            }
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
            spark.conf().unset("spark.sql.files.openCostInBytes");
        }
    }

    @Test
    void theTransformAddsTypedOutputsAndAnErrorStruct() throws Exception {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> in = spark.createDataFrame(List.of(
                org.apache.spark.sql.RowFactory.create(7L, "a sentence"),
                org.apache.spark.sql.RowFactory.create(8L, (Object) null)),
                new StructType().add("id", DataTypes.LongType).add("review", DataTypes.StringType));
        Dataset<Row> out = BatchTransform.apply(in, new dev.batchwise.run.FunctionSpec.Model("minilm",
                Runs.with(dev.batchwise.model.ModelSpec.builder(), m -> {
                    m.task = Task.EMBED;
                    m.threads = 1;
                    m.cacheDir = CACHE;
                }).build()),
                dev.batchwise.pipeline.BatchingSpec.builder().build(1), Map.of("text", "review"), null);
        StructType schema = out.schema();
        assertEquals(List.of("id", "review", "embedding", "error"), List.of(schema.fieldNames()));
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), schema.apply("embedding").dataType());
        assertEquals(OutputColumns.ERROR_TYPE, schema.apply("error").dataType());
        List<Row> rows = out.orderBy("id").collectAsList();
        assertEquals(384, rows.get(0).getList(2).size());
        assertTrue(rows.get(0).isNullAt(3));
        assertTrue(rows.get(1).isNullAt(2));
        Row error = rows.get(1).getStruct(3);
        assertEquals("bad_input", error.getString(0));
        assertFalse(error.getString(1).isBlank());
    }
}
