package dev.batchwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.time.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds run configs and runs pipelines over text given as a string, for tests. */
public final class Runs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {}

    /** A config reading text from standard input. */
    public static RunConfig config(BatchFunctionFactory f, ArrivalSpec arrival, BatchPolicy policy, int workers) {
        return new RunConfig(List.of(Input.stdin()), InputFormat.TEXT, ReaderOptions.defaults(), f, Map.of(), null,
                arrival, policy, workers, 1024, OutputFormat.JSONL, false, Duration.ofSeconds(5));
    }

    /** Lines {@code r1 .. rN}, one per record. */
    public static String lines(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append('r').append(i).append('\n');
        }
        return b.toString();
    }

    /** A finished run: its outcome and output lines as JSON. */
    public record Finished(Outcome outcome, List<JsonNode> output) {}

    public static Finished run(RunConfig config, String stdin) throws Exception {
        return run(new Pipeline(config, Clock.SYSTEM, dev.batchwise.sink.OrderedSink.Listener.none()), stdin);
    }

    public static Finished run(Pipeline pipeline, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome outcome = pipeline.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, w -> {});
        return new Finished(outcome, parse(out.toString(StandardCharsets.UTF_8)));
    }

    public static List<JsonNode> parse(String jsonl) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    nodes.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON: " + line, e);
                }
            }
        }
        return nodes;
    }
}
