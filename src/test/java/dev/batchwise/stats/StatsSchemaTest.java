package dev.batchwise.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.StatsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stats JSON of real runs, checked against the schema the project ships and documents. */
class StatsSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode stats(String stdin, String... args) throws Exception {
        Path file = dir.resolve("stats-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("run", "-q", "--stats-json", file.toString()));
        all.addAll(List.of(args));
        Cli.Run run = Cli.runWithStdin(stdin, all.toArray(String[]::new));
        assertTrue(Files.exists(file), run::toString);
        return JSON.readTree(file.toFile());
    }

    private static void assertValid(JsonNode stats) {
        assertEquals(List.of(), StatsSchema.errors(stats), stats::toPrettyString);
    }

    @Test
    void aFunctionRunCarriesItsIdentityAndFitsTheSchema() throws Exception {
        JsonNode s = stats("", "--fn", "echo", "--rate", "500", "--arrival", "poisson", "--timeout", "5s",
                "samples/sentences.txt");
        assertValid(s);
        assertEquals(StatsReport.SCHEMA_VERSION, s.get("schema_version").asInt());
        assertEquals(List.of("batchwise", "run", "-q", "--stats-json"),
                JSON.convertValue(s.get("command_line"), List.class).subList(0, 4));
        assertEquals("samples/sentences.txt", s.at("/inputs/0/name").asText());
        assertEquals(Files.size(Path.of("samples/sentences.txt")), s.at("/inputs/0/bytes").asLong());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.at("/host/cores").asInt());
        assertEquals(System.getProperty("java.version"), s.at("/host/jvm/version").asText());
        assertFalse(s.at("/tool/version").asText().isBlank());
        assertTrue(java.time.Instant.parse(s.get("started_at").asText()).isBefore(java.time.Instant.now()));
        assertEquals("poisson", s.at("/settings/arrival").asText());
    }

    @Test
    void aLimitedRunThatKeepsColumnsSaysSoInItsSettingsAndFitsTheSchema() throws Exception {
        JsonNode s = stats("", "--fn", "echo", "--limit", "3", "--keep", "words,lens", "--input", "text=words",
                "-o", dir.resolve("out.jsonl").toString(), "samples/words.csv");
        assertValid(s);
        assertEquals(3, s.get("records").asInt());
        assertEquals(3, s.at("/settings/limit").asInt());
        assertEquals("words,lens", s.at("/settings/keep").asText());
    }

    @Test
    void aRunThatDidNothingHasNullPercentilesNotZeros() throws Exception {
        JsonNode s = stats("", "--fn", "echo", "-");
        assertValid(s);
        assertEquals(0, s.get("records").asInt());
        for (String stage : List.of("queue", "compute", "end_to_end")) {
            JsonNode p = s.at("/latency_ms/" + stage);
            assertEquals(0, p.get("count").asInt());
            for (String q : List.of("p50", "p90", "p95", "p99", "max", "mean")) {
                assertTrue(p.get(q).isNull(), () -> stage + " " + q + " is " + p.get(q));
            }
        }
        assertTrue(s.at("/batch_size/mean").isNull());
        assertTrue(s.at("/startup/first_output_seconds").isNull());
        assertTrue(s.at("/inputs/0/bytes").isNull(), "standard input has no size");
    }

    @Test
    void aModelRunWithItsTokensAndPhasesFitsTheSchema() throws Exception {
        JsonNode s = stats("", "--concurrency", "4", "samples/sentences.txt");
        assertValid(s);
        assertTrue(s.at("/tokens/real").asLong() > 0, s::toPrettyString);
        assertTrue(s.at("/latency_ms/phases/model/p50").isNumber(), s::toPrettyString);
        assertEquals("minilm", s.at("/settings/model").asText());
    }

    @Test
    void theSchemaRejectsWhatItMustReject() throws Exception {
        ObjectNode s = (ObjectNode) stats("", "--fn", "echo", "-");
        ObjectNode zeros = s.deepCopy();
        ((ObjectNode) zeros.at("/latency_ms/end_to_end")).put("p99", 0.0);
        assertFalse(StatsSchema.errors(zeros).isEmpty(), "a p99 of no records must be null");
        ObjectNode undocumented = s.deepCopy();
        undocumented.put("surprise", 1);
        assertFalse(StatsSchema.errors(undocumented).isEmpty(), "every field is documented");
        ObjectNode noVersion = s.deepCopy();
        noVersion.remove("schema_version");
        assertFalse(StatsSchema.errors(noVersion).isEmpty());
    }
}
