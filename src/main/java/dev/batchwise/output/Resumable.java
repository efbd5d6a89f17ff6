package dev.batchwise.output;

import dev.batchwise.source.Input;
import dev.batchwise.util.Phrase;
import java.nio.file.Files;
import java.util.List;

/**
 * Whether a run's output could be continued with {@code resume}: the one place that decides it. The
 * option is refused where it says no ({@code RunSpec}'s checks), and no message suggests resuming
 * such a run ({@link RunOutput#resumable()}): one answer for both, so a suggestion is never refused.
 */
public final class Resumable {

    private Resumable() {}

    /**
     * Why a run with these settings and inputs cannot be resumed, as the refusal of {@code resume}
     * says it, or {@code null} when it can be: it needs an output file with a partial file beside it
     * (not standard output, not a device or FIFO written in place) and inputs that can be read again
     * and checked to be the same (regular files or directories, not standard input or a pipe).
     */
    public static Phrase whyNot(OutputSpec out, List<Input> inputs) {
        if (out.file() == null) {
            return Phrase.of("{resume} continues an output file: give it with {output<} FILE");
        }
        if (OutputPaths.inPlace(out.file())) {
            return Phrase.of("{resume} continues FILE.partial, and {output<} %s is not a regular file (a device, a "
                    + "FIFO or a link to one): it is written in place, with no partial file to resume; run without "
                    + "{resume}", out.file());
        }
        if (!out.format().continuable()) {
            return Phrase.of("{resume} cannot continue %s: a Parquet file is readable only once complete (its footer "
                    + "comes last), so a stopped run's part of it cannot be continued; run without {resume} to start "
                    + "over, or write .npy or JSON Lines, which can be continued", out.file());
        }
        for (Input in : inputs) {
            if (in.isStdin()) {
                return Phrase.of("{resume} needs input files: standard input cannot be checked to be the input of "
                        + "the run being resumed");
            }
            if (Files.exists(in.path()) && !Files.isDirectory(in.path()) && !Files.isRegularFile(in.path())) {
                return Phrase.of("{resume} needs regular input files: %s is not one (a pipe cannot be checked to be "
                        + "the input of the run being resumed)", in.name());
            }
        }
        return null;
    }
}
