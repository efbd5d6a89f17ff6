package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --id}, every output line is keyed by the id column's text, failed rows included, so
 * that outputs join by id: a row that could not be parsed keeps the id it has where its fields can
 * be told apart, and gets {@code null} (CSV: an empty cell) where not; never its sequence number.
 */
class IdTypeTest {

    @TempDir
    Path dir;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("in.csv"), String.join("\n",
                "id,text",
                "a-1,fine",
                "a-2,too,many,fields",
                "a-3,\"never closed",
                "a-4,also fine", ""));
    }

    private static List<JsonNode> ids(String jsonLines) throws Exception {
        List<JsonNode> ids = new ArrayList<>();
        for (String line : jsonLines.lines().toList()) {
            ids.add(JSON.readTree(line).get("id"));
        }
        return ids;
    }

    @Test
    void aRowThatCouldNotBeParsedKeepsItsIdTextOrGetsNull() throws Exception {
        Path in = input();
        Path errors = dir.resolve("errors.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--id", "id", "-q", "--errors", errors.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> ids = ids(run.out());
        assertEquals(4, ids.size(), run::toString);
        assertEquals("a-1", ids.get(0).textValue());
        assertTrue(ids.get(1).isTextual(), () -> "the ragged row's id is its text: " + run.out());
        assertEquals("a-2", ids.get(1).textValue());
        assertTrue(ids.get(2).isNull(), () -> "the row whose quote never closes has no id to tell: " + run.out());
        // the unbalanced quote swallows the rest of the input as one row (reading resumes on the next line)
        assertEquals("a-4", ids.get(3).textValue());

        Cli.Run csv = Cli.run("run", "--fn", "echo", "--id", "id", "-q", "--output-format", "csv", in.toString());
        List<String> rows = csv.lines();
        assertTrue(rows.get(2).startsWith("a-2,"), csv::toString);
        assertTrue(rows.get(3).startsWith(","), csv::toString);

        // run again from the errors file: each keeps the id it had
        Cli.Run again = Cli.run("run", "--fn", "echo", "--id", "id", "-q", errors.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, again.exitCode(), again::toString);
        List<JsonNode> againIds = ids(again.out());
        assertEquals("a-2", againIds.get(0).textValue(), again::toString);
        assertTrue(againIds.get(1).isNull(), again::toString);
    }

    @Test
    void withoutAnIdColumnEveryLineIsKeyedByItsNumber() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", input().toString());
        List<JsonNode> ids = ids(run.out());
        for (int i = 0; i < ids.size(); i++) {
            assertTrue(ids.get(i).isIntegralNumber(), run::toString);
            assertEquals(i + 1, ids.get(i).asInt());
        }
    }
}
