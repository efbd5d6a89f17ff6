package dev.batchwise.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.testing.LocalSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs the Spark job's command line in-process against the tests' local session. */
final class SparkJobs {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exitCode, String err) {}

    private SparkJobs() {}

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(LocalSpark::session, new PrintWriter(err, true), args);
        return new Run(code, err.toString());
    }

    /** The JSON Lines part files of an output directory, in name order, as one list of records. */
    static List<JsonNode> readJsonl(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        for (Path part : parts) {
            for (String line : Files.readAllLines(part)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        return rows;
    }
}
