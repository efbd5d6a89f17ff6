package dev.batchwise.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.CommandModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The assembled distribution (JReleaser's tar.gz, as a user downloads it), unpacked in a temporary
 * directory outside the checkout and run through its own launcher with a clean environment: only
 * PATH (java and the basic tools) and a HOME of its own, where its caches go. Nothing of the
 * checkout's target/ or the local Maven repository is on its class path.
 *
 * <p>Run by failsafe after the build assembles the archive ({@code mvn verify}); the POM passes the
 * archive's path, the version and the DJL version as system properties.
 */
class DistributionIT {

    @TempDir
    static Path outside;

    static Path install;
    static Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("batchwise.dist.archive"));
        assertTrue(Files.isRegularFile(archive), () -> "no distribution archive at " + archive);
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", outside.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), out);
        try (Stream<Path> top = Files.list(outside)) {
            install = top.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertEquals("batchwise-" + System.getProperty("batchwise.version"), install.getFileName().toString());
        home = Files.createDirectories(outside.resolve("home"));
    }

    /** What one launch printed and returned. */
    record Launch(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs bin/batchwise from {@code work} with only PATH, HOME and {@code env} set: the start-up archive and the models' native libraries go to that HOME.
     */
    private Launch launch(Path userHome, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(install.resolve("bin/batchwise").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        // HOME alone: the launcher (start-up archive) and Java (model cache) follow one rule for it
        pb.environment().put("HOME", userHome.toString());
        pb.environment().putAll(env);
        Path out = work.resolve("launch.out");
        Path err = work.resolve("launch.err");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) { // a guard against a hang, not a measurement
            p.destroyForcibly();
            throw new AssertionError("bin/batchwise " + String.join(" ", args) + " did not finish");
        }
        return new Launch(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Launch launch(String... args) throws Exception {
        return launch(home, Map.of(), args);
    }

    @Test
    void versionNamesTheBuildJavaDjlAndItsEngines() throws Exception {
        Launch run = launch("--version");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.lines();
        assertEquals("batchwise " + System.getProperty("batchwise.version"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Java "), run::toString);
        assertEquals("DJL " + System.getProperty("batchwise.djl.version"), lines.get(2));
        assertTrue(lines.get(3).startsWith("  engine PyTorch "), run::toString);
        assertTrue(lines.get(3).endsWith(" cpu linux-x86_64)"), run::toString);
        assertTrue(lines.get(4).startsWith("  engine OnnxRuntime "), run::toString);
        assertTrue(lines.get(5).startsWith("  HuggingFace tokenizers "), run::toString);
        assertEquals("", run.err());
    }

    @Test
    void embedsALineFromOutsideTheCheckoutWithTheBundledModel() throws Exception {
        Path freshHome = Files.createDirectories(work.resolve("fresh-home"));
        Path input = Files.writeString(work.resolve("hello.txt"), "hello world\n");
        Launch run = launch(freshHome, Map.of(), "run", "--quiet", input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(1, run.lines().size(), run::toString);
        // HOME alone put both the model cache (Java) and the start-up archive (the launcher) under it
        assertTrue(Files.isDirectory(freshHome.resolve(".cache/batchwise/cds")), "start-up archives under HOME");
        try (Stream<Path> cache = Files.list(freshHome.resolve(".cache/batchwise"))) {
            assertTrue(cache.anyMatch(p -> !p.getFileName().toString().equals("cds")), "model files under HOME");
        }
        JsonNode line = new ObjectMapper().readTree(run.lines().get(0));
        assertEquals(1, line.get("id").asInt());
        JsonNode embedding = line.get("embedding");
        assertEquals(384, embedding.size());
        float[] first = new float[5];
        double squares = 0;
        for (int i = 0; i < embedding.size(); i++) {
            double v = embedding.get(i).asDouble();
            squares += v * v;
            if (i < first.length) {
                first[i] = (float) v;
            }
        }
        // all-MiniLM-L6-v2's reference vector for "hello world", as MiniLmTest checks it in-process.
        assertArrayEquals(new float[] {-0.0345f, 0.0310f, 0.0067f, 0.0261f, -0.0394f}, first, 1e-4f);
        assertEquals(1.0, Math.sqrt(squares), 1e-5);
        assertEquals("", run.err());
    }

    /** The archive carries the linux-x86_64 natives alone; its size is what docs/install.md says. */
    @Test
    void onlyLinuxX8664NativesShip() throws Exception {
        java.util.regex.Pattern otherPlatform = java.util.regex.Pattern.compile(
                "(^|/)(win|osx|macos|darwin|windows|linux)-(x64|x86_64|aarch64|arm64)(/|$)");
        try (Stream<Path> lib = Files.list(install.resolve("lib"))) {
            for (Path jar : lib.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                    List<String> foreign = zip.stream().map(java.util.zip.ZipEntry::getName)
                            .filter(n -> otherPlatform.matcher(n).find() && !n.contains("linux-x64/")
                                    && !n.contains("linux-x86_64/"))
                            .toList();
                    assertEquals(List.of(), foreign, jar::toString);
                }
            }
        }
        long megabytes = Files.size(Path.of(System.getProperty("batchwise.dist.archive"))) / 1_000_000;
        assertTrue(megabytes < 480, "the archive is " + megabytes + " MB");
    }

    @Test
    void echoesAOneLineFileOutsideTheCheckout() throws Exception {
        Path input = Files.writeString(work.resolve("one.txt"), "a line from outside the checkout\n");
        Launch run = launch("run", "--fn", "echo", input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"a line from outside the checkout\"}"), run.lines());
        assertTrue(run.err().startsWith("1 record, 0 failed"), run::toString);
    }

    @Test
    void theClassPathIsTheInstallationsOwnJars() throws Exception {
        Launch run = launch(home, Map.of("BATCHWISE_JAVA_OPTS", "-XshowSettings:properties"), "--version");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> classPath = new ArrayList<>();
        boolean inClassPath = false;
        for (String line : run.err().split("\n")) {
            if (line.contains(" = ")) {
                inClassPath = line.strip().startsWith("java.class.path = ");
                if (inClassPath) {
                    classPath.add(line.substring(line.indexOf(" = ") + 3).strip());
                }
            } else if (inClassPath) {
                classPath.add(line.strip());
            }
        }
        List<Path> jars;
        try (Stream<Path> lib = Files.list(install.resolve("lib"))) {
            jars = lib.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertEquals(jars.stream().map(Path::toString).toList(), classPath);
        assertTrue(jars.contains(install.resolve("lib/batchwise.jar")), jars::toString);
        // Spark is provided by the cluster: none of it (nor Scala, nor Hadoop) ships with the command line
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            assertTrue(!name.startsWith("spark-") && !name.startsWith("scala-") && !name.startsWith("hadoop-"),
                    "lib/ holds " + name);
        }
    }

    @Test
    void theStartUpArchiveIsMadeAtTheFirstLaunchAndUsedByTheNext() throws Exception {
        Path freshHome = Files.createDirectories(work.resolve("fresh-home"));
        Path cds = freshHome.resolve(".cache/batchwise/cds");
        assertEquals(0, launch(freshHome, Map.of(), "--version").exitCode());
        List<Path> archives;
        try (Stream<Path> files = Files.list(cds)) {
            archives = files.toList();
        }
        assertEquals(1, archives.size(), archives::toString);
        assertTrue(archives.get(0).getFileName().toString().endsWith(".jsa"), archives::toString);

        Path classes = work.resolve("classes.log");
        Launch run = launch(freshHome, Map.of("BATCHWISE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
                "--version");
        assertEquals(0, run.exitCode(), run::toString);
        String loaded = Files.readString(classes);
        for (String cls : List.of("dev.batchwise.cli.Main", "picocli.CommandLine")) {
            assertTrue(loaded.contains(cls + " source: shared objects file"), cls + " did not come from the archive");
        }
    }

    @Test
    void anArchiveThatDoesNotMatchIsIgnoredSilently() throws Exception {
        Path freshHome = Files.createDirectories(work.resolve("fresh-home"));
        assertEquals(0, launch(freshHome, Map.of(), "--version").exitCode());
        Path archive;
        try (Stream<Path> files = Files.list(freshHome.resolve(".cache/batchwise/cds"))) {
            archive = files.findFirst().orElseThrow();
        }
        archive.toFile().setWritable(true);
        Files.writeString(archive, "not an archive");

        Path input = Files.writeString(work.resolve("one.txt"), "still runs\n");
        Launch run = launch(freshHome, Map.of(), "run", "--fn", "echo", "--quiet", input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"still runs\"}"), run.lines());
        assertEquals("", run.err());
    }

    @Test
    void everyCommandHasAManPageDocumentingEveryOption() throws IOException {
        for (CommandSpec spec : CommandModel.commands()) {
            Path page = install.resolve("man/man1/" + CommandModel.dashedName(spec) + ".1");
            assertTrue(Files.isRegularFile(page), () -> "no man page for '" + spec.qualifiedName() + "': " + page);
            String troff = Files.readString(page);
            assertTrue(troff.contains(".TH \"" + CommandModel.dashedName(spec).toUpperCase().replace("-", "\\-")
                    + "\" \"1\""), () -> "not a section 1 troff page: " + page);
            String text = troff.replace("\\-", "-").replaceAll("\\\\f[BIPR]", "");
            assertEquals(List.of(), CommandModel.optionsNotMentioned(spec, text),
                    "options of '" + spec.qualifiedName() + "' its man page leaves out");
        }
    }

    @Test
    void theCompletionScriptIsTheOneTheCommandPrints() throws IOException {
        Path script = install.resolve("share/bash-completion/completions/batchwise");
        String shipped = Files.readString(script);
        // the functions --fn completes are those on the class path: the tests' own are not shipped
        String functions = "(?m)^(\\s*local fn_option_values=)\\(.*\\)";
        assertTrue(shipped.contains("local fn_option_values=(\"echo\" \"trim-words\")"), shipped);
        assertEquals(Cli.run("completion").out().replaceAll(functions, "$1(...)"), shipped.replaceAll(functions, "$1(...)"));
    }
}
