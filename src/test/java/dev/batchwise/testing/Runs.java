package dev.batchwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.pipeline.FailureSpec;
import dev.batchwise.pipeline.InputSpec;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.PipelineConfig;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.InputFormat;
import dev.batchwise.time.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Builds pipeline configs and runs pipelines over text given as a string, for tests. */
public final class Runs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Runs() {}

    /** Batches of up to {@code maxBatchSize} in arrival order, sent at once, from a queue of 1024. */
    public static BatchingSpec.Builder batches(int maxBatchSize) {
        return batches(maxBatchSize, b -> { });
    }

    /** Batches of up to {@code maxBatchSize} in arrival order, with {@code more} settings. */
    public static BatchingSpec.Builder batches(int maxBatchSize, Consumer<BatchingSpec.Builder> more) {
        BatchingSpec.Builder b = BatchingSpec.builder();
        b.maxBatchSize = maxBatchSize;
        b.groupByLength = false;
        more.accept(b);
        return b;
    }

    /** {@code builder} with {@code changes} made: for a spec's part in one expression. */
    public static <B> B with(B builder, Consumer<? super B> changes) {
        changes.accept(builder);
        return builder;
    }

    /** Text read from standard input. */
    public static InputSpec text() {
        return with(InputSpec.builder(), i -> i.format = InputFormat.TEXT).build();
    }

    /** A config reading text from standard input, writing JSON Lines without timing, with 5 s of grace. */
    public static PipelineConfig config(BatchFunctionFactory f, ArrivalSpec arrival, BatchingSpec.Builder batching,
            int workers) {
        return config(text(), f, arrival, batching, workers, FailureSpec.builder().build(), false);
    }

    public static PipelineConfig config(InputSpec input, BatchFunctionFactory f, ArrivalSpec arrival,
            BatchingSpec.Builder batching, int workers, FailureSpec failures, boolean withTiming) {
        return new PipelineConfig(input, f, arrival, batching.build(workers), workers, failures, OutputFormat.JSONL,
                withTiming);
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

    public static Finished run(PipelineConfig config, String stdin) throws Exception {
        return run(new Pipeline(config, Clock.SYSTEM, dev.batchwise.sink.OrderedSink.Listener.none()), stdin);
    }

    public static Finished run(Pipeline pipeline, String stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome outcome = readAndWrite(pipeline, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out);
        return new Finished(outcome, parse(out.toString(StandardCharsets.UTF_8)));
    }

    /** Runs {@code stdin} through the pipeline from its start, its own instances loaded, output lines to {@code out}. */
    public static Outcome readAndWrite(Pipeline pipeline, InputStream stdin, OutputStream out) throws Exception {
        return pipeline.readAndRun(stdin, layout -> OutputFormat.JSONL.open(out, layout, true), w -> {},
                ResumePoint.START, null, UnaryOperator.identity());
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
