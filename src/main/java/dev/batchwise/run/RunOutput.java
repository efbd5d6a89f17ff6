package dev.batchwise.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.Input;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.util.Human;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every file a run writes, from the checks made before anything runs to the commit: the output
 * ({@code -o FILE}, written as {@code FILE.partial} with its {@code FILE.partial.meta}, or standard
 * output), the {@code --errors} file, and the {@code --stats-json} report. The one place where the
 * run's paths are checked, opened, created, truncated (for a resumed run) and committed; nothing else
 * in a run touches them.
 *
 * <p>Lifecycle: {@link #prepare} checks the paths and decides where the run starts (resume); the
 * pipeline {@link #open opens} the output once the run is known to start, which is when files are
 * first created; then {@link #finish} commits (a completed run: {@code FILE.partial} becomes
 * {@code FILE}) or leaves the partial file for {@code --resume}. {@link #close} releases everything
 * in any case. One run's thread calls these; {@link #open}'s writer is then used under the sink's lock.
 */
public final class RunOutput implements Pipeline.Output, AutoCloseable {


    private final RunSpec.OutputSettings settings;
    private final ResumePoint resume;
    private final ErrorsFile errors;
    private final OutputTarget target;
    /** The claim on {@code FILE.partial}, held until {@link #close}; {@code null} without one. */
    private final OutputLock lock;
    /** Whether {@link #finish} ran: the output is committed or closed. */
    private boolean finished;

    private RunOutput(RunSpec.OutputSettings settings, ResumePoint resume, ErrorsFile errors, OutputTarget target,
            OutputLock lock) {
        this.lock = lock;
        this.settings = settings;
        this.resume = resume;
        this.errors = errors;
        this.target = target;
    }

    /**
     * Checks every path the run writes ({@link OutputPaths}: writable, and distinct from the inputs and
     * from each other), takes the lock of {@code FILE.partial} ({@link OutputLock}) and, for
     * {@code --resume}, checks {@code FILE.partial} against this run and trims what a crash left
     * half-written. Creates nothing but the lock file, and that only once every check has passed.
     *
     * @param description the run's description, whose output-shaping options the meta file records
     * @param stdout standard output, where output lines go without {@code -o}
     * @param console for the resume notices
     * @throws RunException exit 2 for a mistake in the options, paths that alias, or a partial output
     *     that cannot be resumed; exit 4 for a path that cannot be written or an output another run holds
     */
    public static RunOutput prepare(RunSpec spec, RunDescription description, OutputStream stdout, Console console)
            throws RunException, IOException {
        RunSpec.OutputSettings out = spec.output();
        checkOptions(spec);
        boolean inPlace = out.file() != null && OutputPaths.inPlace(out.file());
        if (inPlace && out.resume()) {
            throw RunException.optionMistake("--resume continues FILE.partial, and -o " + out.file() + " is not a "
                    + "regular file (a device, a FIFO or a link to one): it is written in place, with no partial "
                    + "file to resume; run without --resume");
        }
        checkPaths(spec, inPlace);
        OutputLock lock = out.file() == null || inPlace ? null
                : OutputLock.acquire(out.file(), partialOf(out.file()));
        try {
            return prepare(spec, description, stdout, console, inPlace, lock);
        } catch (RunException | IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** What {@link #prepare} does once the paths are checked and the output is this run's. */
    private static RunOutput prepare(RunSpec spec, RunDescription description, OutputStream stdout, Console console,
            boolean inPlace, OutputLock lock) throws RunException, IOException {
        RunSpec.OutputSettings out = spec.output();
        ResumePoint resume = ResumePoint.START;
        ObjectNode fingerprint = null;
        boolean continuing = false; // appending to FILE.partial and the errors file
        if (out.file() != null && !inPlace) {
            fingerprint = Resume.fingerprint(description.outputShapingOptions(), spec.inputs());
            Path partial = partialOf(out.file());
            boolean leftOver = Files.exists(partial, LinkOption.NOFOLLOW_LINKS);
            if (out.resume() && leftOver) {
                resume = Resume.prepare(partial, fingerprint, out.format(), out.errors());
                continuing = true;
                console.note("resuming " + partial + ": " + Human.count(resume.recordsDone(), "record")
                        + (resume.recordsDone() == 1 ? " is" : " are") + " done; running from record "
                        + Human.number(resume.recordsDone() + 1));
            } else if (out.resume()) {
                console.warning("nothing to resume (there is no " + partial + "); running from the start");
            } else if (leftOver) {
                console.warning("starting " + partial + " afresh; --resume would have continued it");
            }
        }
        ErrorsFile errors = out.errors() == null ? null : new ErrorsFile(out.errors(), continuing);
        ObjectNode meta = fingerprint;
        OutputTarget target;
        if (out.file() == null) {
            target = OutputTarget.stdout(stdout);
        } else {
            Path file = inPlace ? out.file() : committedFile(out.file());
            target = OutputTarget.file(file, inPlace, continuing, errors == null ? null : errors.writer()::flush,
                    continuing || inPlace ? null : () -> Resume.writeMeta(OutputTarget.partialOf(file), meta));
        }
        return new RunOutput(out, resume, errors, target, lock);
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

    /** The checks of options that need no file looked at. */
    private static void checkOptions(RunSpec spec) throws RunException {
        RunSpec.OutputSettings out = spec.output();
        if (out.resume() && out.file() == null) {
            throw RunException.optionMistake("--resume continues an output file: give it with -o FILE");
        }
        if (out.resume() && spec.inputs().stream().anyMatch(Input::isStdin)) {
            throw RunException.optionMistake("--resume needs input files: standard input cannot be "
                    + "checked to be the input of the run being resumed");
        }
        if (out.resume()) {
            for (Input in : spec.inputs()) {
                if (Files.exists(in.path()) && !Files.isDirectory(in.path()) && !Files.isRegularFile(in.path())) {
                    throw RunException.optionMistake("--resume needs regular input files: " + in.name()
                            + " is not one (a pipe cannot be checked to be the input of the run being resumed)");
                }
            }
        }
        if (out.errors() != null && out.errors().toString().equals("-")) {
            throw RunException.optionMistake("--errors needs a file name (standard output carries the output lines)");
        }
    }

    /**
     * Every path the run writes can be written and is another file than every input and every other
     * one ({@link OutputPaths}): exit 4, or exit 2 naming both options.
     */
    private static void checkPaths(RunSpec spec, boolean inPlace) throws RunException {
        RunSpec.OutputSettings out = spec.output();
        List<OutputPaths.Written> written = new ArrayList<>();
        if (out.file() != null) {
            OutputPaths.checkWritable(inPlace ? out.file() : committedFile(out.file()), "", !inPlace);
            written.add(new OutputPaths.Written("-o", out.file(), true));
            if (!inPlace) {
                Path partial = partialOf(out.file());
                for (Path derived : List.of(partial, Resume.metaOf(partial), OutputLock.lockOf(partial))) {
                    if (Files.isDirectory(derived, LinkOption.NOFOLLOW_LINKS)) {
                        throw new RunException(ExitCodes.OUTPUT, "cannot write -o " + out.file() + ": " + derived
                                + " is a directory, and the run needs that name for its own file", null);
                    }
                }
                written.add(new OutputPaths.Written("-o's partial file", partial, false));
                written.add(new OutputPaths.Written("-o's meta file", Resume.metaOf(partial), false));
                written.add(new OutputPaths.Written("-o's lock file", OutputLock.lockOf(partial), false));
            }
        }
        if (out.errors() != null) {
            OutputPaths.checkWritable(out.errors(), "--errors ", false);
            written.add(new OutputPaths.Written("--errors", out.errors(), true));
        }
        if (out.statsJson() != null) {
            OutputPaths.checkWritable(out.statsJson(), "--stats-json ", !OutputPaths.inPlace(out.statsJson()));
            written.add(new OutputPaths.Written("--stats-json", out.statsJson(), true));
        }
        OutputPaths.checkDistinct(written, spec.inputs());
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
        ResultWriter writer = settings.format().open(target.open(), layout, resume.recordsDone() == 0);
        return errors == null ? writer : new FailuresFirstWriter(writer, errors.writer());
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
            target.commit();
        } else {
            try {
                target.close();
            } catch (IOException e) {
                // the output failed already; that is what gets reported
            }
        }
    }

    /** The partial file a stopped run leaves, or {@code null} for standard output. */
    public Path partial() {
        return target.partial();
    }

    /**
     * Writes the {@code --stats-json} report, when asked for.
     *
     * @throws RunException exit 4 when it cannot be written
     */
    public void writeStats(ObjectNode report) throws RunException {
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
            throw new RunException(ExitCodes.OUTPUT, "cannot write --stats-json " + settings.statsJson() + ": "
                    + e.getMessage(), e);
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
