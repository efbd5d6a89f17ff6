package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the docs show compiles and runs as shown. */
class ReadmeExamplesTest {

    @TempDir
    Path dir;

    /** The plugin example of docs/functions.md, imports and package included (the other Java blocks are fragments). */
    private static String pluginExample() throws Exception {
        String readme = Files.readString(Path.of("docs/functions.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            if (m.group(1).contains("implements BatchFunctionProvider")) {
                return m.group(1);
            }
        }
        throw new AssertionError("no plugin example (a ```java block with a BatchFunctionProvider) in docs/functions.md");
    }

    @Test
    void thePluginExampleCompilesAgainstBatchwiseAloneAndRuns() throws Exception {
        String source = pluginExample();
        Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(source);
        Matcher cls = Pattern.compile("public final class (\\w+)").matcher(source);
        assertTrue(pkg.find() && cls.find(), "the example names its package and class");
        String className = pkg.group(1) + "." + cls.group(1);
        Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        // batchwise's own classes only, as 'javac -cp target/batchwise.jar' has them
        String batchwise = Path.of(BatchFunctionProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, new PrintStream(diagnostics, true, StandardCharsets.UTF_8), "-Xlint:all",
                "-Werror", "-d", classes.toString(), "-cp", batchwise, src.toString());
        assertEquals(0, rc, () -> diagnostics.toString(StandardCharsets.UTF_8));

        Path jar = dir.resolve("reverse.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path c : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString()));
                Files.copy(c, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + BatchFunctionProvider.class.getName()));
            out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Cli.Run run = Cli.runWithStdin("hello\nbatch\n", "run", "-q", "--plugin", jar.toString(), "--fn", "reverse");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"id\":1,\"reversed\":\"olleh\"}\n{\"id\":2,\"reversed\":\"hctab\"}\n", run.out());

        Cli.Run models = Cli.run("models", "--plugin", jar.toString(), "--json");
        assertEquals(0, models.exitCode(), models::toString);
        JsonNode listed = new ObjectMapper().readTree(models.out());
        JsonNode reverse = null;
        for (JsonNode f : listed.get("functions")) {
            if (f.get("name").asText().equals("reverse")) {
                reverse = f;
            }
        }
        assertTrue(reverse != null, models::toString);
        assertEquals("text", reverse.at("/inputs/0/name").asText());
        assertEquals("text", reverse.at("/inputs/0/type").asText());
        assertEquals("reversed", reverse.at("/outputs/0").asText());
        assertEquals("minilm", listed.at("/models/0/name").asText());
        assertTrue(listed.at("/models/0/default").asBoolean());
    }
}
