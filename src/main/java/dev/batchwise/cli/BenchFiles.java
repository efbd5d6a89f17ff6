package dev.batchwise.cli;

import dev.batchwise.bench.BenchJson;
import dev.batchwise.bench.Compare;
import dev.batchwise.output.OutputException;
import dev.batchwise.run.ExitStatus;
import dev.batchwise.source.ImageRecords;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.InputFormat;
import dev.batchwise.terminal.Style;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The files of {@code batchwise bench}: the inputs it cycles (files it can read again and again, in
 * one format), and those it writes ({@code --csv}, {@code --json}, {@code --report}), checked before
 * the sweep starts (none is an input or another's name, each one's directory exists), and each
 * written under a temporary name in its directory and renamed over the target only once complete, so
 * a reader never sees half a file. A target that exists and is not a regular file (a device, a FIFO)
 * is written in place; a link at the target is replaced by the file, not followed. Also
 * {@code --compare}, which reads two sweeps back.
 */
final class BenchFiles {

    interface Content {
        void write(Writer w) throws IOException;
    }

    private BenchFiles() {}

    /** The inputs to cycle: files that can be read again and again; standard input cannot. */
    static List<Path> inputs(List<String> files, CommandLine cl) throws InputException {
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "give the input files to cycle through (standard input "
                    + "cannot be read again and again)");
        }
        List<Path> out = new ArrayList<>();
        for (String f : files) {
            Input in = Input.of(f);
            if (in.isStdin()) {
                throw new CommandLine.ParameterException(cl, "standard input ('-') cannot be cycled: give files");
            }
            if (ImageRecords.isImageInput(in)) {
                throw new CommandLine.ParameterException(cl, f + ": bench cycles data files, not pictures: list the "
                        + "pictures' paths (relative to the working directory) in a CSV or JSONL file and give that "
                        + "(--input image=COLUMN names its column)");
            }
            if (!Files.isRegularFile(in.path()) || !Files.isReadable(in.path())) {
                throw new InputException("cannot read " + f + ": " + (!Files.exists(in.path()) ? "no such file"
                        : Files.isDirectory(in.path()) ? "it is a directory"
                        : !Files.isRegularFile(in.path()) ? "not a regular file (bench reads its inputs many times)"
                        : "permission denied"));
            }
            out.add(in.path());
        }
        return out;
    }

    /** One format for all inputs: each name's, else JSON Lines if it starts with '{', else text. */
    static InputFormat format(List<Path> inputs, CommandLine cl) {
        InputFormat first = null;
        for (Path p : inputs) {
            InputFormat f = InputFormat.fromFileName(p.getFileName().toString());
            if (f == null) {
                f = startsWithBrace(p) ? InputFormat.JSONL : InputFormat.TEXT;
            }
            if (first != null && f != first) {
                throw new CommandLine.ParameterException(cl, "the inputs are in different formats (" + first.label()
                        + " and " + f.label() + " at " + p + "); bench cycles one format: give inputs of one format, "
                        + "or --format");
            }
            first = f;
        }
        return first;
    }

    static void check(List<Path> outputs, List<Path> inputs) throws OutputException {
        List<Path> seen = new ArrayList<>();
        for (Path out : outputs) {
            if (out == null) {
                continue;
            }
            if (Files.isDirectory(out)) {
                throw new OutputException(Phrase.of("cannot write %s: it is a directory", out), null);
            }
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new OutputException(Phrase.of("cannot write %s: the directory %s does not exist", out, dir),
                        null);
            }
            for (Path in : inputs) {
                if (same(out, in)) {
                    throw new SettingException("output", Phrase.of("the output %s is an input; writing it would "
                            + "destroy it", out), false);
                }
            }
            for (Path other : seen) {
                if (same(out, other)) {
                    throw new SettingException("output", Phrase.of("two outputs name the same file, %s", out), false);
                }
            }
            seen.add(out);
        }
    }

    private static boolean same(Path a, Path b) {
        if (dev.batchwise.util.FilePaths.resolved(a).equals(dev.batchwise.util.FilePaths.resolved(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static void write(Path target, Content content) throws OutputException {
        if (target == null) {
            return;
        }
        try {
            if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isSymbolicLink(target)) {
                try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    content.write(w);
                }
                return;
            }
            // a new file beside it, with the permissions the umask gives, renamed over it
            dev.batchwise.util.FilePaths.replace(target, out -> {
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                content.write(w);
                w.flush();
            });
        } catch (IOException e) {
            throw new OutputException(Phrase.of("cannot write %s: %s", target, Errors.describe(e)), e);
        }
    }

    /** Whether the file's first non-blank character is '{' (a JSON Lines input with another name). */
    static boolean startsWithBrace(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            int c;
            while ((c = in.read()) != -1) {
                if (!Character.isWhitespace(c)) {
                    return c == '{';
                }
            }
        } catch (IOException e) {
            // the read fails again, with its message, when the sweep starts
        }
        return false;
    }

    /**
     * {@code --compare A B}: the two sweeps side by side.
     *
     * @param failIfSlower the percentage of A's throughput a point of B may lose, or {@code null} for any
     * @return the comparison's exit status
     */
    static int compare(List<Path> sweeps, Double failIfSlower, boolean quiet, CommandLine cl) throws InputException {
        PrintWriter err = cl.getErr();
        double pct = failIfSlower == null ? -1 : failIfSlower;
        if (failIfSlower != null && !(pct >= 0 && pct < 100)) {
            throw new CommandLine.ParameterException(cl, "--fail-if-slower: " + failIfSlower
                    + " is not a percentage from 0 to 100");
        }
        Path a = sweeps.get(0);
        Path b = sweeps.get(1);
        BenchJson.Read ra = read(a);
        BenchJson.Read rb = read(b);
        Compare.Result r = Compare.compare(ra.points(), rb.points(), pct);
        if (!quiet) {
            err.print(Compare.table(r, a + " (" + ra.function() + ")", b + " (" + rb.function() + ")"));
        }
        if (!r.slower().isEmpty()) {
            err.println("batchwise: " + r.slower().size() + " point" + (r.slower().size() == 1 ? "" : "s")
                    + " lost more than " + failIfSlower + "% of A's throughput (--fail-if-slower)");
        }
        err.flush();
        return ExitStatus.ofComparison(!r.slower().isEmpty());
    }

    private static BenchJson.Read read(Path file) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException("cannot read " + file + ": " + (Files.exists(file) ? "not a regular file"
                    : "no such file"));
        }
        try {
            return BenchJson.read(file);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + Errors.describe(e), e);
        }
    }

    /** Said at once when a signal asks a sweep to stop (from the handler's thread). */
    static void stopping(PrintWriter err, Style style) {
        err.println();
        err.println("batchwise: " + style.warning("stopping the sweep: the point in flight is dropped, the points "
                + "measured before it are kept. Signal again to stop at once."));
        err.flush();
    }

    /**
     * Said once a stopped sweep has written what it measured: how far it got, and which files hold
     * it. Always said (also under --quiet): it explains the exit code.
     */
    static void interrupted(PrintWriter err, Style style, int measured, int planned, BenchOptions.OutputOptions output) {
        List<String> written = new ArrayList<>();
        for (Path p : java.util.Arrays.asList(output.csv, output.json, output.report)) {
            if (p != null) {
                written.add(p.toString());
            }
        }
        err.println("batchwise: " + style.warning("interrupted: " + measured + " of " + planned + " point"
                + (planned == 1 ? "" : "s") + " measured before the stop" + (written.isEmpty() ? ""
                : "; written to " + String.join(", ", written))));
        err.flush();
    }
}
