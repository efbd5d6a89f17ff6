package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text outside the BMP, and lone surrogates, through functions and both output formats. */
class UnicodeTest {

    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 units

    @TempDir
    Path dir;

    @Test
    void trimWordsCountsCodePointsAndJsonWritesThemAsUtf8() throws Exception {
        Path in = dir.resolve("w.csv");
        Files.writeString(in, "words,lens\n" + EMOJI + EMOJI + "x,1\n" + "a" + EMOJI + "b,2\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "trim-words", "-q", "-o", out.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        byte[] bytes = Files.readAllBytes(out);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(List.of("{\"id\":1,\"trimmed\":\"" + EMOJI + "\"}", "{\"id\":2,\"trimmed\":\"a" + EMOJI + "\"}"),
                text.lines().toList());
        assertFalse(text.contains("\\u"), "no surrogate-pair escapes: " + text);
    }

    @Test
    void csvOutputHoldsTextOutsideTheBmp() throws Exception {
        Path out = dir.resolve("out.csv");
        Cli.Run run = Cli.runWithStdin("a" + EMOJI + "\n", "run", "--fn", "echo", "-q", "-o", out.toString(), "-");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("id,text,error", "1,a" + EMOJI + ","), Files.readString(out).lines().toList());
    }

    @Test
    void aLoneSurrogateFailsItsRecordInCsvAndIsKeptEscapedInJson() throws Exception {
        String input = "{\"text\":\"ok\"}\n{\"text\":\"x\\ud83dy\"}\n{\"text\":\"fine\"}\n";
        Path csv = dir.resolve("out.csv");
        Cli.Run run = Cli.runWithStdin(input, "run", "--fn", "echo", "--no-progress", "-o", csv.toString(), "-");
        assertEquals(1, run.exitCode(), run::toString);
        List<String> rows = Files.readString(csv, StandardCharsets.UTF_8).lines().toList();
        assertEquals(4, rows.size(), rows::toString);
        assertEquals("1,ok,", rows.get(1));
        assertTrue(rows.get(2).startsWith("2,,\"unwritable_output at <stdin>:2: function 'echo' returned for output "
                + "'text' text with a lone surrogate (U+D83D at character 2)"), rows::toString);
        assertEquals("3,fine,", rows.get(3));

        Path jsonl = dir.resolve("out.jsonl");
        run = Cli.runWithStdin(input, "run", "--fn", "echo", "-q", "-o", jsonl.toString(), "-");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"id\":2,\"text\":\"x\\uD83Dy\"}", Files.readString(jsonl).lines().toList().get(1));
    }

    @Test
    void anAbbreviatedValueInAMessageIsNotCutInsideACharacter() {
        String word = "a".repeat(36) + EMOJI + "tail that makes it long";
        Cli.Run run = Cli.runWithStdin("{\"words\":\"w\",\"lens\":\"" + word + "\"}\n", "run", "--fn", "trim-words",
                "--no-progress", "-");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("a".repeat(36) + EMOJI + "...'"), run::toString);
    }
}
