package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.bench.BenchJson;
import dev.batchwise.bench.BenchRun;
import dev.batchwise.bench.Load;
import dev.batchwise.bench.Machine;
import dev.batchwise.bench.Objective;
import dev.batchwise.bench.PointMeter;
import dev.batchwise.bench.PointResult;
import dev.batchwise.bench.Setting;
import dev.batchwise.bench.Sweep;
import dev.batchwise.bench.TextOutputs;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    private Path words() throws Exception {
        return Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\n");
    }

    private static void assertUsage(Cli.Run run, String expected) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(expected), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }

    @Test
    void sweepsAGridAndWritesEveryOutput() throws Exception {
        Path csv = dir.resolve("points.csv");
        Path json = dir.resolve("points.json");
        Path report = dir.resolve("report.html");
        Cli.Run run = Cli.run("bench", "--fn", "echo", "--fn-arg", "per-item=1ms", "-b", "1,4", "-c", "4",
                "--max-delay", "0", "--warmup", "0", "--window", "200ms", "--max-windows", "4", "--csv", csv.toString(),
                "--json", json.toString(), "--report", report.toString(), words().toString());
        // on a real clock a point may stay unstable: then the recommendation stands, unconfirmed (10)
        JsonNode line = new ObjectMapper().readTree(run.out());
        assertEquals(line.path("confirmed").asBoolean() ? 0 : ExitCodes.UNCONFIRMED, run.exitCode(), run.toString());
        assertEquals("server", line.path("kind").asText(), run.out());
        assertTrue(run.err().contains("w=1 b=1 d=0 c=4") && run.err().contains("w=1 b=4 d=0 c=4"), run.err());
        assertTrue(run.err().contains("loading 1 worker"), run.err());

        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", TextOutputs.CSV_COLUMNS), lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("1,1,0,closed,4,,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(","), "no model threads varied: " + lines.get(1));

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(BenchJson.FORMAT, root.path("format").asText());
        assertEquals(2, root.path("points").size());
        JsonNode batch4 = root.path("points").get(1);
        assertEquals(4, batch4.path("max_batch_size").asInt());
        assertTrue(batch4.path("records").asLong() > 0, batch4.toString());
        assertTrue(batch4.path("batch_size").path("mean").asDouble() > 1, "4 clients fill batches of up to 4");
        if (root.path("chosen").isTextual()) {
            assertTrue(root.path("chosen_run_command").asText().endsWith("--fn echo --fn-arg per-item=1ms "
                    + words()), root.toString());
        }
        String html = Files.readString(report);
        for (String id : List.of("chart-throughput-p99", "chart-queue-compute")) {
            assertTrue(html.contains("<svg id='" + id + "'"), id);
        }
        assertFalse(html.contains("http://") && html.contains("<script src"), "nothing is fetched");
    }

    @Test
    void gridMistakesAreUsageErrors() throws Exception {
        String in = words().toString();
        assertUsage(Cli.run("bench", "--fn", "echo", "-b", "1,x", in), "--max-batch-size: 'x' is not a whole number");
        assertUsage(Cli.run("bench", "--fn", "echo", "-b", "1,,4", in), "has an empty value");
        assertUsage(Cli.run("bench", "--fn", "echo", "-c", "1", "--max-delay", "0,soon", in),
                "--max-delay: 'soon' is not a duration");
        assertUsage(Cli.run("bench", "--fn", "echo", "--rate", "auto", in), "--rate auto searches for the largest rate "
                + "that meets --slo");
        assertUsage(Cli.run("bench", "--fn", "echo", "--rate", "5", "-c", "4", in), "exclude each other");
        assertUsage(Cli.run("bench", "--fn", "echo", "--slo", "p98=1s", in), "--slo: 'p98=1s' is not a latency budget");
        assertUsage(Cli.run("bench", "--fn", "echo", "--objective", "cost", in), "--objective: 'cost'");
        assertUsage(Cli.run("bench", "--fn", "echo", "--max-windows", "2", in), "at least 3");
        assertUsage(Cli.run("bench", "--fn", "echo"), "give the input files to cycle through");
        assertUsage(Cli.run("bench", "--fn", "echo", "-"), "standard input ('-') cannot be cycled");
        assertUsage(Cli.run("bench", "--fn", "echo", "--fail-if-slower", "5", in), "--fail-if-slower goes with --compare");
        assertUsage(Cli.run("bench", "--fn", "echo", "--csv", in, in), "is an input");
    }

    @Test
    void runOptionsAreCheckedAsRunChecksThem() throws Exception {
        String in = words().toString();
        assertUsage(Cli.run("bench", "--fn", "trim-words", "-b", "1", "-c", "1", in), "words");
        assertUsage(Cli.run("bench", "--fn", "nope", in), "nope");
        Cli.Run missing = Cli.run("bench", "--fn", "echo", dir.resolve("missing.txt").toString());
        assertEquals(ExitCodes.INPUT, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("missing.txt: no such file"), missing.err());
    }

    private Path sweep(String name, double throughput) throws Exception {
        Setting s = new Setting(1, 16, 0, new Load.Clients(16));
        PointResult p = new PointResult(s, throughput, 10, 12, 13, 15, 20, 1, 2, 8, 9, 16, Map.of(16, 100L), -1, 0.9,
                true, 3, 1000, 0, List.of());
        BenchRun run = new BenchRun(List.of("batchwise", "bench"), List.of("x.txt"), new Machine(2, "jvm", "os", "0",
                List.of()), "echo", new PointMeter.Plan(0, 1_000_000_000L, 3), null, Objective.THROUGHPUT, 1024,
                new Sweep.Result(List.of(p), Map.of(1, 0L), List.of(), p, List.of(p)));
        Path file = dir.resolve(name);
        BenchJson.write(run, file);
        return file;
    }

    @Test
    void compareGivesRatiosAndItsOwnExitCodeWhenSlower() throws Exception {
        Path a = sweep("a.json", 400);
        Path b = sweep("b.json", 300);
        Cli.Run same = Cli.run("bench", "--compare", a.toString(), a.toString(), "--fail-if-slower", "10");
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.err().contains("1.00x"), same.err());
        Cli.Run slower = Cli.run("bench", "--compare", a.toString(), b.toString(), "--fail-if-slower", "10");
        assertEquals(ExitCodes.SLOWER, slower.exitCode(), slower.toString());
        assertTrue(slower.err().contains("0.75x") && slower.err().contains("lost more than 10.0% of A's throughput"),
                slower.err());
        assertEquals(0, Cli.run("bench", "--compare", a.toString(), b.toString()).exitCode(), "no threshold: a report");
        Path notASweep = Files.writeString(dir.resolve("other.json"), "{\"records\": 3}");
        Cli.Run bad = Cli.run("bench", "--compare", a.toString(), notASweep.toString());
        assertEquals(ExitCodes.INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("is not a sweep written by batchwise bench --json"), bad.err());
    }

    @Test
    void exitCodesAreDocumented() throws Exception {
        String exitCodes = Files.readString(Path.of("docs/command-line.md"));
        for (String code : ExitCodes.BENCH.keySet()) {
            assertTrue(exitCodes.contains("| " + code + " |"), "docs/command-line.md's exit code table has bench's " + code);
        }
        String bench = Files.readString(Path.of("docs/bench.md"));
        for (String column : TextOutputs.CSV_COLUMNS) {
            assertTrue(bench.contains("`" + column + "`"), "docs/bench.md documents the CSV column " + column);
        }
    }
}
