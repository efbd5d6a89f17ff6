package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.CommandModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The man pages the build ships: one AsciiDoc page per command, which the build converts to troff;
 * the distribution's test checks the converted pages.
 */
class ManPageTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandHasAPageThatDocumentsEveryOneOfItsOptionsAndTheExitCodes() throws Exception {
        ManPages.generate(dir);
        for (CommandSpec spec : CommandModel.commands()) {
            Path page = dir.resolve(CommandModel.dashedName(spec) + ".adoc");
            assertTrue(Files.isRegularFile(page), () -> "no man page for '" + spec.qualifiedName() + "': " + page);
            String text = Files.readString(page);
            assertTrue(text.contains("= " + CommandModel.dashedName(spec) + "(1)"), () -> "not a section 1 page: " + page);
            assertEquals(List.of(), CommandModel.optionsNotMentioned(spec, text),
                    "options of '" + spec.qualifiedName() + "' its man page leaves out");
            if (!spec.name().equals("help")) {
                assertTrue(text.contains("== Exit status"), () -> "no exit codes in " + page);
                // each page lists the codes its command returns, and only those
                for (String code : ExitCodes.of(spec.name()).keySet()) {
                    assertTrue(text.contains("*" + code + "*::"), () -> "exit code " + code + " missing in " + page);
                }
                boolean runs = spec.name().equals("run") || spec.name().equals("bench");
                assertEquals(runs, text.contains("stopped by Ctrl-C"), page::toString);
                assertEquals(runs || spec.name().equals("models"), text.contains("*5*::"), page::toString);
                assertEquals(spec.name().equals("bench"), text.contains("*8*::"), page::toString);
            }
            for (String heading : text.lines().filter(l -> l.startsWith("==")).toList()) {
                assertTrue(heading.matches("== [A-Z][a-z]+(,? [a-z]+)*"),
                        () -> "a heading man would print as an unreadable line of capitals in " + page + ": " + heading);
            }
        }
    }
}
