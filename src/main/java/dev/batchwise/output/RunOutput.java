package dev.batchwise.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumeException;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.sink.NpyResultWriter;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.Input;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Every file a run writes, from the checks made before anything runs to the commit: the output
 * ({@code -o FILE}, written as {@code FILE.partial} with its {@code FILE.partial.meta}, or standard
 * output), the errors file, and the stats report. The one place where the run's paths are checked,
 * opened, created, truncated (for a resumed run) and committed; nothing else in a run touches them.
 *
 * <p>Lifecycle: {@link #prepare} checks the paths and decides where the run starts (resume); the
 * pipeline {@link #open opens} the output once the run is known to start, which is when files are
 * first created; then {@link #finish} commits (a completed run: {@code FILE.partial} becomes
 * {@code FILE}) or leaves the partial file for a resume. {@link #close} releases everything in any
 * case. One run's thread calls these; {@link #open}'s writer is then used under the sink's lock.
 */
public final class RunOutput implements Pipeline.Output, AutoCloseable {


    /**
     * What the run tells its user about the files (notices and warnings, each naming settings), and
     * how it names the settings that failed records' messages name in the files.
     */
    public interface Notices {
        void note(Phrase text);

        void warning(Phrase text);

        Phrase.Names names();
    }

    private final OutputSpec settings;
    private final ResumePoint resume;
    private final ErrorsFile errors;
    private final OutputTarget target;
    /** .npy's ids file, committed with the array; {@code null} for other formats. */
    private final OutputTarget ids;
    /** The claim on {@code FILE.partial}, held until {@link #close}; {@code null} without one. */
    private final OutputLock lock;
    /** How failed records' messages name settings in the files. */
    private final Phrase.Names names;
    /**
     * A binary format's writer, closed before the commit (Parquet's footer, .npy's last header);
     * {@code null} until opened, and for text formats, whose streams are closed as they are.
     */
    private ResultWriter binaryWriter;
    /** Whether {@link #finish} ran: the output is committed or closed. */
    private boolean finished;
    /** Whether a later run could continue this output with resume ({@link Resumable}). */
    private boolean resumable;

    private RunOutput(OutputSpec settings, ResumePoint resume, ErrorsFile errors, OutputTarget target,
            OutputTarget ids, OutputLock lock, Phrase.Names names) {
        this.ids = ids;
        this.names = names;
        this.lock = lock;
        this.settings = settings;
        this.resume = resume;
        this.errors = errors;
        this.target = target;
    }

    /**
     * Checks every path the run writes ({@link OutputPaths}: writable, and distinct from the inputs and
     * from each other), takes the lock of {@code FILE.partial} ({@link OutputLock}) and, for a resume,
     * checks {@code FILE.partial} against this run and trims what a crash left half-written. Creates
     * nothing but the lock file, and that only once every check has passed.
     *
     * @param inputs the run's inputs, which no output may be
     * @param fingerprint the run's settings that shape output lines, which the meta file records
     * @param stdout standard output, where output lines go without {@code -o}
     * @param notices told of a resume, or of a partial output started afresh
     * @throws SettingException for paths that alias, or a resume asked of an output that cannot have one
     * @throws ResumeException for a partial output that cannot be resumed
     * @throws OutputException for a path that cannot be written, or an output another run holds
     */
    public static RunOutput prepare(OutputSpec out, List<Input> inputs, Map<String, Object> fingerprint,
            OutputStream stdout, Notices notices) throws OutputException, ResumeException, IOException {
        boolean inPlace = out.file() != null && OutputPaths.inPlace(out.file());
        Phrase notResumable = Resumable.whyNot(out, inputs);
        if (out.resume() && notResumable != null) {
            throw new SettingException("resume", notResumable); // the spec's checks said so already, unless raced
        }
        OutputPaths.checkRun(out, inputs, inPlace);
        if (!inPlace) {
            out.checkExtension();
        }
        OutputLock lock = out.file() == null || inPlace ? null
                : OutputLock.acquire(out.file(), partialOf(out.file()));
        try {
            return prepare(out, inputs, fingerprint, stdout, notices, inPlace, lock).resumable(notResumable == null);
        } catch (ResumeException | IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** What {@link #prepare} does once the paths are checked and the output is this run's. */
    private static RunOutput prepare(OutputSpec out, List<Input> inputs, Map<String, Object> fingerprintOptions,
            OutputStream stdout, Notices notices, boolean inPlace, OutputLock lock) throws ResumeException, IOException {
        ResumePoint resume = ResumePoint.START;
        ObjectNode fingerprint = null;
        boolean continuing = false; // appending to FILE.partial and the errors file
        if (out.file() != null && !inPlace) {
            fingerprint = Resume.fingerprint(fingerprintOptions, inputs);
            Path partial = partialOf(out.file());
            boolean leftOver = Files.exists(partial, LinkOption.NOFOLLOW_LINKS);
            if (out.resume() && leftOver) {
                resume = Resume.prepare(partial, out.format() == OutputFormat.NPY
                        ? OutputTarget.partialOf(idsOf(committedFile(out.file()))) : partial, fingerprint, out.format(),
                        out.errors());
                continuing = true;
                notices.note(Phrase.of("resuming %s: %s %s done; running from record %s", partial,
                        Human.count(resume.recordsDone(), "record"), resume.recordsDone() == 1 ? "is" : "are",
                        Human.number(resume.recordsDone() + 1)));
            } else if (out.resume()) {
                notices.warning(Phrase.of("nothing to resume (there is no %s); running from the start", partial));
            } else if (leftOver && Resumable.whyNot(out, inputs) == null) {
                notices.warning(Phrase.of("starting %s afresh; {resume} would have continued it", partial));
            } else if (leftOver) {
                notices.warning(Phrase.of("starting %s afresh (an earlier run left it)", partial));
            }
        }
        ErrorsFile errors = out.errors() == null ? null : new ErrorsFile(out.errors(), continuing);
        ObjectNode meta = fingerprint;
        OutputTarget target;
        OutputTarget ids = null;
        if (out.format() == OutputFormat.NPY) {
            // the errors file is flushed before the ids, whose lines say which rows failed
            ids = OutputTarget.file(idsOf(committedFile(out.file())), false, continuing,
                    errors == null ? null : errors.writer()::flush, null);
        }
        if (out.file() == null) {
            target = OutputTarget.stdout(stdout);
        } else {
            Path file = inPlace ? out.file() : committedFile(out.file());
            target = OutputTarget.file(file, inPlace, continuing,
                    errors == null || ids != null ? null : errors.writer()::flush,
                    continuing || inPlace ? null : () -> Resume.writeMeta(OutputTarget.partialOf(file), meta));
        }
        return new RunOutput(out, resume, errors, target, ids, lock, notices.names());
    }

    /** Where the ids of a {@code .npy} output's rows go: {@code NAME.ids.jsonl} beside {@code NAME.npy}. */
    public static Path idsOf(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4)
                : name;
        return npy.resolveSibling(stem + ".ids.jsonl");
    }

    /**
     * The file a regular output is renamed onto at the commit: {@code -o FILE} itself or, when it is a
     * symbolic link to a regular file, the file the link points to (the link stays, and the partial
     * file is created beside that file).
     */
    public static Path committedFile(Path file) {
        if (Files.isSymbolicLink(file) && Files.isRegularFile(file)) {
            try {
                return file.toRealPath();
            } catch (IOException e) {
                return file;
            }
        }
        return file;
    }

    /** Where a regular {@code -o file} is written until the commit. */
    public static Path partialOf(Path file) {
        return OutputTarget.partialOf(committedFile(file));
    }

    /** Where the run starts: after the records a resumed run finds done, or at the first. */
    public ResumePoint resume() {
        return resume;
    }

    /**
     * Opens the output (creating {@code FILE.partial} and writing its meta file first), with the
     * header unless a resumed run continues it; failed records also go to the errors file, each just
     * before its output line.
     */
    @Override
    public ResultWriter open(OutputLayout layout) throws IOException {
        ResultWriter writer;
        if (ids != null) {
            java.nio.channels.FileChannel array = target.openChannel();
            writer = resume.recordsDone() == 0 ? new NpyResultWriter(array, ids.open(), layout)
                    : NpyResultWriter.resume(array, ids.open(), layout, resume.recordsDone());
        } else {
            writer = settings.format().open(target.open(), layout, resume.recordsDone() == 0);
        }
        if (settings.format().binary()) {
            binaryWriter = writer;
        }
        return new OutputLineWriter(writer, errors == null ? null : errors.writer(), names);
    }

    /**
     * How a run whose lines have a shape of their own (an OpenAI batch file's answers) writes them: to
     * the output, and failed ones to the errors file too.
     */
    public interface Lines {
        /**
         * @param output the output's stream (a resumed run's appends)
         * @param errors the errors file's stream, or {@code null} without one; created at its first byte
         * @param names how failed records' messages name settings
         */
        ResultWriter open(OutputStream output, OutputStream errors, Phrase.Names names) throws IOException;
    }

    /** This output with its lines written by {@code lines}: the same files, commit and resume. */
    public Pipeline.Output writtenBy(Lines lines) {
        return layout -> lines.open(target.open(), errors == null ? null : errors.stream(), names);
    }

    /**
     * The text of a run's resume fingerprint (the settings that shape its lines, and its inputs'
     * identity): the same for the same command on the same inputs, so a resumed run derives the same
     * ids from it.
     */
    public static String runKey(Map<String, Object> fingerprint, List<Input> inputs) {
        return Resume.fingerprint(fingerprint, inputs).toString();
    }

    /** Whether standard output was closed by its reader (EPIPE), as when piped to {@code head}. */
    public boolean brokenPipe() {
        return target.brokenPipe();
    }

    /**
     * The run has ended. A completed run's errors file is flushed (created if no record failed) and
     * its output committed: {@code FILE.partial} becomes {@code FILE}, and the meta file goes. Any other
     * run leaves {@code FILE.partial} and its meta for {@code --resume}.
     *
     * @param completed whether every record read was run and written
     * @throws IOException when the output cannot be committed (the run's data is then in the partial file)
     */
    public void finish(boolean completed) throws IOException {
        finished = true;
        if (errors != null) {
            errors.runEnded();
        }
        if (completed) {
            if (errors != null) {
                errors.close(); // a finished output never has an unfinished errors file
            }
            if (binaryWriter != null) {
                binaryWriter.close();
            }
            if (ids != null) {
                ids.commit(); // the array gets its final name last: then the output is complete
            }
            target.commit();
        } else {
            try {
                if (ids != null) {
                    ids.close();
                }
                target.close();
            } catch (IOException e) {
                // the output failed already; that is what gets reported
            }
        }
    }

    private RunOutput resumable(boolean canResume) {
        this.resumable = canResume;
        return this;
    }

    /**
     * Whether a message may suggest resume for this run's output: it has a partial file and inputs
     * that a resumed run can check ({@link Resumable}); the option is refused otherwise.
     */
    public boolean resumable() {
        return resumable && target.partial() != null;
    }

    /** The partial file a stopped run leaves, or {@code null} for standard output. */
    public Path partial() {
        return target.partial();
    }

    /**
     * Writes the stats report, when asked for.
     *
     * @throws OutputException when it cannot be written
     */
    public void writeStats(ObjectNode report) throws OutputException {
        if (settings.statsJson() == null) {
            return;
        }
        Path stats = settings.statsJson();
        try {
            byte[] json = StatsReport.jsonText(report).getBytes(StandardCharsets.UTF_8);
            if (OutputPaths.inPlace(stats)) {
                Files.write(stats, json, StandardOpenOption.WRITE);
            } else {
                replace(stats, json);
            }
        } catch (IOException e) {
            throw new OutputException(Phrase.of("cannot write {stats-json} %s: %s", settings.statsJson(),
                    e.getMessage()), e);
        }
    }

    /**
     * Gives {@code file} the content {@code bytes} without following a link or truncating: a fresh file
     * of a random name beside it (exclusive creation), renamed over it.
     */
    private static void replace(Path file, byte[] bytes) throws IOException {
        dev.batchwise.util.FilePaths.replace(file, out -> out.write(bytes));
    }

    /** Closes what is open, leaving a file under its partial name; idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (!finished) {
                if (ids != null) {
                    ids.close();
                }
                target.close();
            }
        } finally {
            try {
                if (errors != null) {
                    errors.close();
                }
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }
}
