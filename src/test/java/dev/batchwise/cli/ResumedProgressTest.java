package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunction.HeldCall;
import dev.batchwise.testing.ScriptedFunctions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line of a resumed run counts the records the earlier run wrote: it shows how much of
 * the output is done, not how much of what is left.
 */
class ResumedProgressTest {

    private static final long QUARTER_SECOND = 250_000_000L;
    private static final String PROGRESS = "batchwise-progress";

    @TempDir
    Path dir;

    @Test
    void theLineOfAResumedRunCountsTheRecordsCarriedOver() throws Exception {
        Path in = dir.resolve("in.txt");
        // 100 records; the first run stops at record 90, which fails: 90 are in the partial output, 1 failed
        Files.writeString(in, IntStream.rangeClosed(1, 100).mapToObj(i -> i == 90 ? "BAD" : "r" + i)
                .collect(Collectors.joining("\n", "", "\n")));
        Path out = dir.resolve("out.jsonl");
        ScriptedFunctions.put("resumed-progress", ScriptedFunction.of(batch -> batch.stream()
                .map(text -> {
                    if (text.equals("BAD")) {
                        throw new IllegalStateException("bad");
                    }
                    return List.of(text);
                }).toList()));
        Cli.Run first = Cli.run(args(out, in, "--on-error", "stop"));
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);

        FakeClock clock = new FakeClock();
        ScriptedFunction held = ScriptedFunction.held();
        ScriptedFunctions.put("resumed-progress", held);
        long start = clock.nanoTime();
        CompletableFuture<Cli.Run> running = CompletableFuture.supplyAsync(() -> Cli.run(InputStream.nullInputStream(),
                Io.Signals.NONE, Map.of(), true, clock, args(out, in, "--resume")));
        HeldCall call = held.nextHeld(); // record 91 is in the function: the 90 before it are done
        clock.awaitSleeperUntil(start + QUARTER_SECOND, PROGRESS);
        clock.advance(QUARTER_SECOND);
        clock.awaitSleeperUntil(start + 2 * QUARTER_SECOND, PROGRESS); // drawn
        for (int i = 91; i < 100; i++) {
            call.release();
            call = held.nextHeld();
        }
        call.release();
        Cli.Run run = running.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);

        Matcher line = Pattern.compile("\r\033\\[K(\\d+) records +(\\d+)%").matcher(run.err());
        assertTrue(line.find(), run::toString);
        assertEquals(90, Integer.parseInt(line.group(1)), "the records done, those carried over included");
        // the share of the input read is not known exactly while intake reads ahead: 90 of at most 100
        int percent = Integer.parseInt(line.group(2));
        assertTrue(percent >= 89 && percent <= 100, "the share done: " + percent + "%\n" + run);
        assertTrue(run.err().contains("1 failed"), run::toString);
    }

    private static String[] args(Path out, Path in, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--fn", "scripted", "--fn-arg",
                "handle=resumed-progress", "-b", "1", "-o", out.toString(), in.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }
}
