package dev.batchwise.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.PipelineConfig;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.Fields;
import dev.batchwise.source.Origin;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * batchwise from Java. Two forms:
 *
 * <ul>
 *   <li>{@link #run(RunSpec, InputStream, OutputStream, PrintWriter, Map)}: a whole run, as the command line
 *       makes it, with its files, messages and exit status;
 *   <li>{@link #map}: a batch function over records that code hands over, with dynamic batching and
 *       the same failure isolation (a batch that fails is split and retried down to the records that
 *       fail alone), results handed back in input order. No files, no standard streams: for use inside
 *       another job, such as a Spark partition.
 * </ul>
 */
public final class Batchwise {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where {@link #map}'s records say they come from, in failure messages: {@code record:N}. */
    static final String MAPPED_SOURCE = "record";

    private Batchwise() {}

    /**
     * Runs {@code spec} with its own function instances.
     *
     * @param err where messages and the stats table go (as the command line's standard error)
     * @param env the environment (a model's default cache directory)
     * @return the outcome and the exit status
     * @throws RunException when the run cannot start, with its exit status
     */
    public static RunResult run(RunSpec spec, InputStream stdin, OutputStream stdout, PrintWriter err,
            Map<String, String> env) throws RunException, InterruptedException {
        Console console = new Console(err, spec.messages().quiet(), Phrase.KEYS);
        return new RunSession(spec, stdin, stdout, env, console, Clock.SYSTEM, Signals.NONE).run();
    }

    /**
     * Runs the pool's function over {@code records}, in batches as {@code batching} says (as for records
     * that all arrive at once), and hands each result to {@code results} in input order, on one of the
     * pool's worker threads, one at a time. Returns once every record has its result. A record's
     * fields are matched to the function's inputs by name; values are strings, numbers, booleans or
     * Jackson nodes, converted to the parameter types as from JSONL. A record that cannot be
     * converted, or that fails in the function, gets a failed result; the others their outputs.
     *
     * @param batching the batch size, length grouping and queue; its workers are the pool's
     * @param records read on a thread of the run's own; its {@code next} may block
     * @throws RunException when the function's outputs clash with the output fields
     */
    public static Outcome map(WorkerPool pool, BatchingSpec batching, Iterator<? extends Map<String, ?>> records,
            Consumer<? super Result> results) throws RunException, InterruptedException {
        Objects.requireNonNull(results);
        Pipeline pipeline = new Pipeline(PipelineConfig.handedOver(pool.factory(), batching, pool.size()),
                Clock.SYSTEM, OrderedSink.Listener.none());
        ResultWriter writer = new ResultWriter() {
            @Override
            public void write(Result result) {
                results.accept(result);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        try {
            return pipeline.runHandedOver(new IteratorStream(records), writer, pool.instances());
        } catch (FunctionStartException | SettingException e) {
            throw new RunException(e);
        } catch (IOException e) {
            throw new IllegalStateException("a writer to code does not fail", e);
        } finally {
            pool.returned(pipeline);
        }
    }

    /** Records from an iterator, numbered from 1. */
    private static final class IteratorStream implements RecordStream {
        private final Iterator<? extends Map<String, ?>> records;
        private long read;

        IteratorStream(Iterator<? extends Map<String, ?>> records) {
            this.records = records;
        }

        @Override
        public Record next() {
            if (!records.hasNext()) {
                return null;
            }
            Map<String, ?> fields = records.next();
            read++;
            return Record.of(read, new Origin(MAPPED_SOURCE, read), new MapFields(fields));
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public long recordsRead() {
            return read;
        }
    }

    /** A map's entries as fields: strings and Jackson nodes as they are, other values as JSON. */
    private record MapFields(Map<String, ?> map) implements Fields {
        @Override
        public Object get(String name) {
            Object v = map.get(name);
            return v == null || v instanceof String || v instanceof JsonNode ? v : JSON.valueToTree(v);
        }

        @Override
        public List<String> names() {
            return List.copyOf(map.keySet());
        }
    }
}
