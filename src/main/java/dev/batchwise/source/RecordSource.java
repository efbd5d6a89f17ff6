package dev.batchwise.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The records of all inputs, read in turn, numbered 1, 2, ... across them. Only one input is read
 * at a time; {@link #prepare()} opens each once up front, so that a missing file or a header without
 * a mapped column stops the run before anything is processed.
 *
 * <p>Not thread-safe: one thread reads.
 */
public final class RecordSource implements RecordStream, Closeable {

    /**
     * What {@link #prepare()} learned of one input.
     *
     * @param columnsLine the line the columns were read from (a header row, the first JSON object), or 0
     *     when they come from the format (text) or there are none
     */
    public record InputInfo(Input input, List<String> columns, long columnsLine) {}

    private final List<Input> inputs;
    private final InputFormat forced;
    private final ReaderOptions options;
    private final InputStream stdin;
    private final Consumer<String> warnings;
    private final ReadProgress progress;

    private final RecordReader[] readers;
    private int current;
    private long recordsOfCurrent;
    private long nextSeq = 1;
    private boolean prepared;

    /**
     * @param forced the {@code --format}, or {@code null} to settle it per input
     * @param warnings receives one-line messages, such as an input with no records
     */
    public RecordSource(List<Input> inputs, InputFormat forced, ReaderOptions options, InputStream stdin,
            Consumer<String> warnings) {
        this(inputs, forced, options, stdin, warnings, new ReadProgress(inputs.size()));
    }

    /** @param progress counts the bytes read from each input, for the progress line */
    public RecordSource(List<Input> inputs, InputFormat forced, ReaderOptions options, InputStream stdin,
            Consumer<String> warnings, ReadProgress progress) {
        this.progress = progress;
        this.inputs = List.copyOf(inputs);
        this.forced = forced;
        this.options = options;
        this.stdin = stdin;
        this.warnings = warnings;
        this.readers = new RecordReader[inputs.size()];
    }

    /**
     * Opens every input once and returns their columns. Inputs after the first are closed again and
     * reopened in turn, so many inputs do not hold many files open; standard input and pipes, which
     * cannot be read twice, stay open.
     */
    public List<InputInfo> prepare() throws InputException {
        List<InputInfo> infos = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            int index = i;
            boolean kept = i == 0 || !input.canReopen(); // else only looked at, and read again later
            RecordReader reader = Inputs.open(input, forced, options, stdin,
                    kept ? raw -> progress.counting(index, raw) : java.util.function.UnaryOperator.identity(), warnings);
            try {
                infos.add(new InputInfo(input, reader.columns(), reader.columnsLine()));
            } catch (IOException e) {
                closeQuietly(reader);
                throw new InputException("cannot read " + input.name() + ": " + Inputs.describe(e), e);
            }
            if (i == 0 || !input.canReopen()) {
                readers[i] = reader;
            } else {
                closeQuietly(reader);
            }
        }
        prepared = true;
        return infos;
    }

    /** The next record of all inputs, or {@code null} when all are read. */
    @Override
    public Record next() throws InputException {
        if (!prepared) {
            throw new IllegalStateException("prepare() first");
        }
        while (current < inputs.size()) {
            Input input = inputs.get(current);
            if (readers[current] == null) {
                int index = current;
                readers[current] = Inputs.open(input, forced, options, stdin, raw -> progress.counting(index, raw),
                        warnings);
            }
            Record r;
            try {
                r = readers[current].next(nextSeq);
            } catch (IOException e) {
                throw new InputException("cannot read " + input.name() + ": " + Inputs.describe(e), e);
            }
            if (r != null) {
                nextSeq++;
                progress.recordRead();
                recordsOfCurrent++;
                return r;
            }
            String note = readers[current].endNote();
            if (note != null) {
                warnings.accept(note);
            }
            if (recordsOfCurrent == 0) {
                warnings.accept(input.name() + " has no records");
            }
            closeQuietly(readers[current]);
            readers[current] = null;
            current++;
            recordsOfCurrent = 0;
        }
        return null;
    }

    /**
     * Whether {@link #next()} can return without waiting for an input, as far as can be told: false
     * when the input being read has nothing buffered or available (a pipe that has gone quiet), or
     * at its end. Opening the next input counts as ready.
     */
    @Override
    public boolean ready() {
        return current < inputs.size() && (readers[current] == null || readers[current].ready());
    }

    /** How many records have been read so far. */
    @Override
    public long recordsRead() {
        return nextSeq - 1;
    }

    @Override
    public void close() {
        for (int i = 0; i < readers.length; i++) {
            if (readers[i] != null) {
                closeQuietly(readers[i]);
                readers[i] = null;
            }
        }
    }

    private static void closeQuietly(RecordReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing more will be read from it
        }
    }
}
