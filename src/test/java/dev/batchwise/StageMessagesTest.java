package dev.batchwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stages and the pipeline speak of settings, never of a front end's flags: no string literal in
 * their code names a command-line option ({@code --name}). A message that names a setting writes it
 * as a {@link dev.batchwise.util.Phrase}'s {@code {name}}, which each front end names its own way (the
 * command line by its flag; the Spark job by its own; code by the key), so that a user of the Spark
 * job or of {@code Batchwise.map} is not told of flags they do not have.
 */
class StageMessagesTest {

    private static final List<String> STAGES = List.of("source", "arrival", "batching", "fn", "model", "sink",
            "stats", "pipeline");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    @Test
    void noStringLiteralInAStageNamesACommandLineOption() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        for (String stage : STAGES) {
            try (Stream<Path> sources = Files.walk(Path.of("src/main/java/dev/batchwise", stage))) {
                for (Path p : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                    files++;
                    for (String literal : literals(Files.readString(p))) {
                        if (FLAG.matcher(literal).find()) {
                            found.add(p + ": \"" + literal + "\"");
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "read " + files + " files");
        assertEquals(List.of(), found);
    }

    @Test
    void theScanSeesALiteralThatNamesAFlagAndNoneInACommentOrChar() {
        String code = "// not --this\n/* nor --that */ char c = '\"'; String s = \"raise it with --max-record-size\" "
                + "+ \"a \\\"quoted\\\" --flag\"; String t = \"--\";";
        assertEquals(List.of("raise it with --max-record-size", "a \\\"quoted\\\" --flag", "--"), literals(code));
        assertEquals(2, literals(code).stream().filter(l -> FLAG.matcher(l).find()).count());
    }

    /** The string literals of Java source, as written (escapes kept), outside comments and char literals. */
    static List<String> literals(String code) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                i = Math.max(code.indexOf('\n', i), i + 1);
                if (code.indexOf('\n', i - 1) < 0) {
                    break;
                }
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? code.length() : end + 2;
            } else if (c == '\'') {
                int j = i + 1;
                while (j < code.length() && code.charAt(j) != '\'') {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (j < code.length() && code.charAt(j) != '"') {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                out.add(code.substring(i + 1, Math.min(j, code.length())));
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}
