package dev.batchwise.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.Input;
import dev.batchwise.stats.StatsReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
    /** Whether {@link #finish} ran: the output is committed or closed. */
    private boolean finished;

    private RunOutput(RunSpec.OutputSettings settings, ResumePoint resume, ErrorsFile errors, OutputTarget target) {
        this.settings = settings;
        this.resume = resume;
        this.errors = errors;
        this.target = target;
    }

    /**
     * Checks the run's paths (the output, the errors file and the inputs must be different files, in
     * directories that exist) and, for {@code --resume}, checks {@code FILE.partial} against this run
     * and trims what a crash left half-written. Creates nothing.
     *
     * @param description the run's description, whose output-shaping options the meta file records
     * @param stdout standard output, where output lines go without {@code -o}
     * @param console for the resume notices
     * @throws RunException exit 2 for a mistake in the options or a partial output that cannot be
     *     resumed; exit 4 for a path that cannot be written
     */
    public static RunOutput prepare(RunSpec spec, RunDescription description, OutputStream stdout, Console console)
            throws RunException, IOException {
        RunSpec.OutputSettings out = spec.output();
        checkPaths(spec);
        ResumePoint resume = ResumePoint.START;
        ObjectNode fingerprint = null;
        boolean continuing = false; // appending to FILE.partial and the errors file
        if (out.file() != null) {
            fingerprint = Resume.fingerprint(description.outputShapingOptions(), spec.inputs());
            Path partial = OutputTarget.partialOf(out.file());
            boolean leftOver = Files.exists(partial);
            if (out.resume() && leftOver) {
                resume = Resume.prepare(partial, fingerprint, out.format(), out.errors());
                continuing = true;
                console.note("resuming " + partial + ": " + resume.recordsDone()
                        + " records are done; running from record " + (resume.recordsDone() + 1));
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
            target = OutputTarget.file(out.file(), continuing, errors == null ? null : errors.writer()::flush,
                    continuing ? null : () -> Resume.writeMeta(OutputTarget.partialOf(out.file()), meta));
        }
        return new RunOutput(out, resume, errors, target);
    }

    /** The checks of paths that need no file opened. */
    private static void checkPaths(RunSpec spec) throws RunException {
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
        Path errors = out.errors();
        if (errors == null) {
            return;
        }
        if (errors.toString().equals("-")) {
            throw RunException.optionMistake("--errors needs a file name (standard output carries the output lines)");
        }
        OutputTarget.checkWritable(errors, "--errors ");
        if (out.file() != null && (same(errors, out.file()) || same(errors, OutputTarget.partialOf(out.file())))) {
            throw RunException.optionMistake("--errors and -o name the same file, " + errors);
        }
        for (Input in : spec.inputs()) {
            if (!in.isStdin() && same(errors, in.path())) {
                throw RunException.optionMistake("--errors " + errors + " is an input; writing it would destroy it");
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
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
        return target.file() == null ? null : target.partial();
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
        try {
            StatsReport.writeJson(report, settings.statsJson());
        } catch (IOException e) {
            throw new RunException(ExitCodes.OUTPUT, "cannot write --stats-json " + settings.statsJson() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Closes what is open, leaving a file under its partial name; idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (!finished) {
                target.close();
            }
        } finally {
            if (errors != null) {
                errors.close();
            }
        }
    }
}
