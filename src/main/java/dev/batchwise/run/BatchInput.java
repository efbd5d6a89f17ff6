package dev.batchwise.run;

import dev.batchwise.openai.BatchFormat;
import dev.batchwise.pipeline.InputSpec;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.Inputs;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordReader;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a run's input is an OpenAI batch file: given ({@code {format} openai-batch}), or detected
 * from the first record of the first input when no format is given and that input is JSON Lines by
 * its name or its first character ({@link BatchFormat#isRequestLine}). Detection reads the first record
 * once more before the run reads it; standard input is peeked through a buffer of {@link #PEEK_BYTES}
 * that is given back to the run whole, so a first line longer than that (or a gzipped standard input)
 * is not detected: give the format then.
 *
 * @param batch whether the run reads batch lines
 * @param detected whether that was detected rather than given
 * @param stdin what the run reads for standard input from now on (the peeked bytes included)
 */
record BatchInput(boolean batch, boolean detected, InputStream stdin) {

    /** The most bytes of standard input read ahead to detect a batch file. */
    static final int PEEK_BYTES = 1 << 20;

    static BatchInput detect(InputSpec input, InputStream stdin) {
        if (input.format() != null || input.inputs().isEmpty()) {
            return new BatchInput(input.format() == InputFormat.OPENAI_BATCH, false, stdin);
        }
        Input first = input.inputs().get(0);
        if (!first.isStdin()) {
            InputFormat byName = InputFormat.fromFileName(first.name());
            boolean batch = (byName == null || byName == InputFormat.JSONL) && firstIsRequest(first, input, stdin);
            return new BatchInput(batch, batch, stdin);
        }
        BufferedInputStream buffered = new BufferedInputStream(stdin, PEEK_BYTES);
        buffered.mark(PEEK_BYTES);
        boolean batch = firstIsRequest(first, input, new Peek(buffered));
        try {
            buffered.reset();
        } catch (IOException e) {
            throw new IllegalStateException("the peek never reads past its mark", e);
        }
        return new BatchInput(batch, batch, buffered);
    }

    /**
     * {@code spec} reading its inputs as batch lines.
     *
     * @throws SettingException for a setting that has no meaning for batch lines, whose answers have
     *     OpenAI's shape: they are keyed by their ids and carry no columns, timing or CSV
     */
    static RunSpec asBatch(RunSpec spec) {
        if (!(spec.function() instanceof FunctionSpec.Model)) {
            throw new SettingException("fn", Phrase.of("an OpenAI batch file runs on a model ({model}), not on a "
                    + "function; read it as ordinary records with {format} jsonl"));
        }
        InputSpec in = spec.input();
        String why = "an OpenAI batch file's answers have OpenAI's shape, keyed by custom_id";
        if (in.idColumn() != null) {
            throw new SettingException("id", Phrase.of("{id} does not apply: %s", why));
        }
        if (!in.keep().isEmpty()) {
            throw new SettingException("keep", Phrase.of("{keep} does not apply: %s", why));
        }
        if (!in.mapping().isEmpty()) {
            throw new SettingException("input", Phrase.of("{input} does not apply: %s", why));
        }
        if (spec.output().withTiming()) {
            throw new SettingException("with-timing", Phrase.of("{with-timing} does not apply: %s; the stats have "
                    + "the timing", why));
        }
        if (spec.output().format() != OutputFormat.JSONL) {
            throw new SettingException("output-format", Phrase.of("{output-format} %s does not apply: %s, as JSON "
                    + "Lines", spec.output().format(), why));
        }
        if (in.format() == InputFormat.OPENAI_BATCH) {
            return spec;
        }
        InputSpec batch = new InputSpec(in.inputs(), InputFormat.OPENAI_BATCH, in.reader(), in.mapping(),
                in.idColumn(), in.limit(), in.keep());
        return new RunSpec(batch, spec.function(), spec.arrival(), spec.batching(), spec.failures(), spec.output(),
                spec.messages());
    }

    /** Whether the input's first record is a request line; an input that cannot be read is not (its run says why). */
    private static boolean firstIsRequest(Input first, InputSpec input, InputStream stdin) {
        try (RecordReader reader = Inputs.open(first, null, input.reader(), stdin)) {
            Record r = reader.next(1);
            return r != null && !r.isBad() && BatchFormat.isRequestLine(r.fields());
        } catch (InputException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** At most {@code PEEK_BYTES - 1} bytes of the buffered standard input, which it never closes. */
    private static final class Peek extends FilterInputStream {
        private long left = PEEK_BYTES - 1;

        Peek(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, Math.max(0, left)));
            left -= skipped;
            return skipped;
        }

        @Override
        public void close() {
            // the run reads standard input on
        }
    }
}
