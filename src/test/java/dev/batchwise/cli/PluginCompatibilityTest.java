package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The function SPI stays binary-compatible: {@code plugin-compat/compat-plugin.jar} was compiled once,
 * against batchwise as it was (its source is beside it), and is loaded here unchanged. It implements
 * every type of the SPI: a provider, a factory class, a function with and without call metrics,
 * signatures with text and integer parameters, and the argument parsers.
 */
class PluginCompatibilityTest {

    private static Path jar() throws Exception {
        Path jar = Path.of(PluginCompatibilityTest.class.getResource("/plugin-compat/compat-plugin.jar").toURI());
        assertTrue(Files.isRegularFile(jar), jar.toString());
        return jar;
    }

    @Test
    void aPluginJarBuiltAgainstTheEarlierApiRuns() throws Exception {
        Cli.Run run = Cli.runWithStdin("text,width\nab,4\nhello,3\n", "run", "--plugin", jar().toString(), "--fn",
                "compat-pad", "--fn-arg", "fill=-", "--format", "csv", "-q", "-b", "2");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"padded\":\"ab--\",\"length\":4}",
                "{\"id\":2,\"padded\":\"hello\",\"length\":5}"), run.lines());
    }

    @Test
    void itsArgumentCheckingStillReportsAUsageError() throws Exception {
        Cli.Run run = Cli.runWithStdin("text,width\nab,4\n", "run", "--plugin", jar().toString(), "--fn", "compat-pad",
                "--fn-arg", "limit=0", "--format", "csv");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("argument 'limit': '0' is not a whole number from 1 to 1000"), run.err());
    }

    @Test
    void itIsListedWithTheBuiltInFunctions() throws Exception {
        Cli.Run run = Cli.run("models", "--plugin", jar().toString());
        assertTrue(run.out().contains("compat-pad"), run.out());
    }
}
