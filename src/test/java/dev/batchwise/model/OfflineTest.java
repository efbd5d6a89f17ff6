package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.NetworkWatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with an empty cache makes no network access: everything it needs comes from the jars. Each
 * case runs batchwise in a forked JVM under {@link NetworkWatch}, which refuses and records every
 * connection or DNS lookup.
 */
class OfflineTest {

    @TempDir
    Path dir;

    private record Forked(int exitCode, String out, String err, List<String> connections) {}

    private Forked run(Path cache, String... jvmOptions) throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "hello world\n");
        Path log = dir.resolve("network-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dnetwork.watch.log=" + log);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NetworkWatch.class.getName(),
                "run", "--cache-dir", cache.toString(), "-q", input.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DJL_OFFLINE");
        pb.environment().remove("OPT_OUT_TRACKING");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "forked run did not finish");
        List<String> connections = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Forked(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), connections);
    }

    @Test
    void aRunWithAnEmptyCacheMakesNoNetworkAccess() throws Exception {
        Path cache = dir.resolve("empty-cache");
        Forked run = run(cache);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("{\"id\":1,\"embedding\":[-0.034"), run.out());
        assertEquals(List.of(), run.connections());
        // what it needed was extracted from the jars on the class path
        try (Stream<Path> files = Files.walk(cache)) {
            List<String> names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
            assertTrue(names.containsAll(List.of("model.onnx", "tokenizer.json", "libonnxruntime.so",
                    "libtokenizers.so")), names.toString());
        }
    }

    @Test
    void theWatchSeesDjlsTelemetryCallWhenOfflineModeIsOff() throws Exception {
        Forked run = run(dir.resolve("cache"), "-Dai.djl.offline=false", "-DOPT_OUT_TRACKING=false");
        assertTrue(run.connections().stream().anyMatch(c -> c.startsWith("169.254.169.254")),
                "expected DJL's metadata probe; saw " + run.connections() + "\n" + run.err());
    }

}
