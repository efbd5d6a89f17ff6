package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party function in a jar of its own, compiled here from source so that its class exists
 * nowhere on the test class path, loaded with --plugin through ServiceLoader.
 */
class PluginTest {

    private static final String SOURCE = """
            package example;

            import dev.batchwise.fn.*;
            import java.util.*;

            public final class Reverse implements BatchFunctionProvider {
                public String name() { return "reverse"; }
                public String description() { return "text -> reversed"; }
                public BatchFunctionFactory configure(FnArgs args) {
                    args.requireOnly(Set.of());
                    Signature sig = new Signature(List.of(new Param("text", ParamType.TEXT, "")), List.of("reversed"));
                    return BatchFunctionFactory.of("reverse", sig, () -> inputs -> {
                        List<String> out = new ArrayList<>();
                        for (Object t : inputs.get(0)) {
                            out.add(new StringBuilder((String) t).reverse().toString());
                        }
                        return List.of(out);
                    });
                }
            }
            """;

    @TempDir
    static Path dir;

    static Path jar;

    @BeforeAll
    static void buildPluginJar() throws Exception {
        Path src = dir.resolve("src/example/Reverse.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "javac");
        jar = dir.resolve("reverse-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.list(classes.resolve("example"))) {
                for (Path c : files.toList()) {
                    out.putNextEntry(new JarEntry("example/" + c.getFileName()));
                    Files.copy(c, out);
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.batchwise.fn.BatchFunctionProvider"));
            out.write("example.Reverse\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    @Test
    void aPluginFunctionRunsByName() {
        Cli.Run run = Cli.runWithStdin("abc\nhello\n", "run", "--plugin", jar.toString(), "--fn", "reverse", "-q");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"reversed\":\"cba\"}", "{\"id\":2,\"reversed\":\"olleh\"}"), run.lines());
    }

    @Test
    void withoutThePluginTheNameIsUnknown() {
        Cli.Run run = Cli.runWithStdin("abc\n", "run", "--fn", "reverse");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no function named 'reverse'"), run.err());
    }

    @Test
    void modelsListsThePluginsFunctions() {
        Cli.Run run = Cli.run("models", "--plugin", jar.toString());
        assertTrue(run.out().contains("reverse"), run.out());
    }

    @Test
    void aMissingPluginJarIsAUsageError() {
        Cli.Run run = Cli.runWithStdin("abc\n", "run", "--plugin", dir.resolve("none.jar").toString(), "--fn", "reverse");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("none.jar: no such file"), run.err());
    }

}
