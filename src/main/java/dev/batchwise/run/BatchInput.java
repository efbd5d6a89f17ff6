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
import java.io.IOException;
import java.io.InputStream;

/**
 * Whether a run's input is an OpenAI batch file: given ({@code {format} openai-batch}), or detected
 * from the first record of the first input when no format is given and that input is a JSON Lines
 * file by its name or its first character ({@link BatchFormat#isRequestLine}). Detection reads the
 * file's first record once before the run reads it. Standard input and pipes are never read ahead
 * (what is read is gone, and the run must take its output before it waits on a quiet pipe): a batch
 * file there needs the format given.
 *
 * @param batch whether the run reads batch lines
 * @param detected whether that was detected rather than given
 * @param stdin what the run reads for standard input
 */
record BatchInput(boolean batch, boolean detected, InputStream stdin) {

    static BatchInput detect(InputSpec input, InputStream stdin) {
        if (input.format() != null || input.inputs().isEmpty()) {
            return new BatchInput(input.format() == InputFormat.OPENAI_BATCH, false, stdin);
        }
        Input first = input.inputs().get(0);
        if (first.isStdin() || !first.canReopen()) {
            return new BatchInput(false, false, stdin); // a pipe read ahead would lose what was read
        }
        InputFormat byName = InputFormat.fromFileName(first.name());
        boolean batch = (byName == null || byName == InputFormat.JSONL) && firstIsRequest(first, input, stdin);
        return new BatchInput(batch, batch, stdin);
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
        if (((FunctionSpec.Model) spec.function()).generation().tokenIds()) {
            throw new SettingException("token-ids", Phrase.of("{token-ids} does not apply: %s, whose choices carry "
                    + "no token ids", why));
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
}
