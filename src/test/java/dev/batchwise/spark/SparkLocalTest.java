package dev.batchwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkLocalTest {

    @TempDir
    Path dir;

    @Test
    void echoesText() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.write(in, List.of("a", "b", "c BAD", "d"));
        SparkJobs.Run run = SparkJobs.run("run", "--fn", "misbehave", "--ordered", in.toString(), "-o",
                dir.resolve("out").toString());
        assertEquals(1, run.exitCode(), run.err());
        List<JsonNode> rows = SparkJobs.readJsonl(dir.resolve("out"));
        assertEquals(4, rows.size(), run.err() + java.util.Arrays.toString(dir.resolve("out").toFile().list()));
        assertEquals("A", rows.get(0).get("out").asText());
        assertEquals("function_error", rows.get(2).get("error").get("code").asText(), rows.toString());
        assertNull(rows.get(3).get("error"));
        assertTrue(run.err().contains("4 records, 1 failed"), run.err());
    }
}
