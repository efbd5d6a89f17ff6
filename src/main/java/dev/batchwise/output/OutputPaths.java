package dev.batchwise.output;

import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import dev.batchwise.util.FilePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks, made before a run creates or truncates anything, that every path it writes can be
 * written and is distinct from every input and from every other path it writes.
 *
 * <p>Distinct means another file: two paths are the same when they name one existing file (device and
 * inode, so hard links and symbolic links count) or, for a file that does not exist yet, the same name
 * in the same directory, as the file system resolves it ({@link FilePaths#resolved}: a {@code ..}
 * after a link is the link target's parent, not the link's). The one exception is a character device
 * (such as {@code /dev/null}): writing it cannot destroy what another path holds, so two options may
 * name it.
 */
final class OutputPaths {

    /**
     * A path a run writes.
     *
     * @param option how the messages name it, as a phrase's template: the output's {@code {output<}}, ...
     * @param followLinks whether a symbolic link at the path counts as the file it points to (a path
     *     the user named), or as itself (a path the run derives and never follows: the partial file,
     *     its meta and its lock)
     */
    record Written(String option, Path path, boolean followLinks) {}

    private OutputPaths() {}

    /**
     * Every path the run writes can be written and is another file than every input and every other
     * one, before anything is created or truncated.
     */
    static void checkRun(OutputSpec out, List<Input> inputs, boolean inPlace) throws OutputException {
        List<OutputPaths.Written> written = new ArrayList<>();
        if (out.file() != null) {
            OutputPaths.checkWritable(inPlace ? out.file() : RunOutput.committedFile(out.file()), "", !inPlace);
            written.add(new OutputPaths.Written("{output<}", out.file(), true));
            if (!inPlace) {
                Path partial = RunOutput.partialOf(out.file());
                for (Path derived : List.of(partial, Resume.metaOf(partial), OutputLock.lockOf(partial))) {
                    if (Files.isDirectory(derived, LinkOption.NOFOLLOW_LINKS)) {
                        throw new OutputException(Phrase.of("cannot write {output<} %s: %s is a directory, and the run "
                                + "needs that name for its own file", out.file(), derived), null);
                    }
                }
                written.add(new OutputPaths.Written("{output<}'s partial file", partial, false));
                written.add(new OutputPaths.Written("{output<}'s meta file", Resume.metaOf(partial), false));
                written.add(new OutputPaths.Written("{output<}'s lock file", OutputLock.lockOf(partial), false));
                if (out.format() == OutputFormat.NPY) {
                    Path idsFile = RunOutput.idsOf(RunOutput.committedFile(out.file()));
                    OutputPaths.checkWritable(idsFile, "{output<}'s ids file ", true);
                    written.add(new OutputPaths.Written("{output<}'s ids file", idsFile, true));
                    written.add(new OutputPaths.Written("{output<}'s ids partial file", OutputTarget.partialOf(idsFile),
                            false));
                }
            }
        }
        if (out.errors() != null) {
            OutputPaths.checkWritable(out.errors(), "{errors} ", false);
            written.add(new OutputPaths.Written("{errors}", out.errors(), true));
        }
        if (out.statsJson() != null) {
            OutputPaths.checkWritable(out.statsJson(), "{stats-json} ", !OutputPaths.inPlace(out.statsJson()));
            written.add(new OutputPaths.Written("{stats-json}", out.statsJson(), true));
        }
        OutputPaths.checkDistinct(written, inputs);
    }

    /**
     * Whether {@code file} is written in place: it exists (through links) and is neither a regular file
     * nor a directory, as a device, a FIFO or a link to one ({@code /dev/null}, {@code /dev/stdout}).
     */
    static boolean inPlace(Path file) {
        return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
    }

    /**
     * Unless {@code file} can be written: not a directory, in a directory that exists and, for a file
     * created beside it or replaced by a rename ({@code inDirectory}), that can be written; an existing
     * file written in place must itself be writable.
     *
     * @param option how messages name it, as a phrase's template ending in a space, or empty
     */
    static void checkWritable(Path file, String option, boolean inDirectory) throws OutputException {
        if (Files.isDirectory(file)) {
            throw unwritable(option, file, "it is a directory");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw unwritable(option, file, "the directory " + dir + " does not exist");
        }
        boolean exists = Files.exists(file);
        if ((inDirectory || !exists) && dir != null && !Files.isWritable(dir)) {
            throw unwritable(option, file, "the directory " + dir + " is not writable (permission denied)");
        }
        if (!inDirectory && exists && !Files.isWritable(file)) {
            throw unwritable(option, file, "permission denied");
        }
    }

    private static OutputException unwritable(String option, Path file, String why) {
        return new OutputException(Phrase.of("cannot write %s%s: %s", Phrase.of(option), file, why), null);
    }

    /**
     * A setting mistake when two written paths are one file, or a written path is an input (standard
     * input excepted: it has no path).
     */
    static void checkDistinct(List<Written> written, List<Input> inputs) {
        List<Identity> ids = new ArrayList<>();
        for (Written w : written) {
            ids.add(Identity.of(w.path(), w.followLinks()));
        }
        for (int i = 0; i < written.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ids.get(i).clashes(ids.get(j))) {
                    Written a = written.get(i);
                    throw new SettingException("output", Phrase.of("%s and %s name the same file, %s",
                            Phrase.of(a.option()), Phrase.of(written.get(j).option()), a.path()));
                }
            }
        }
        for (Input in : inputs) {
            if (in.isStdin()) {
                continue;
            }
            Identity input = Identity.of(in.path(), true);
            for (int i = 0; i < written.size(); i++) {
                if (ids.get(i).clashes(input)) {
                    Written w = written.get(i);
                    String which = w.path().equals(in.path()) ? " is an input" : " is the input " + in.name();
                    throw new SettingException("output", Phrase.of("%s %s%s; writing it would destroy it",
                            Phrase.of(w.option()), w.path(), which));
                }
            }
        }
    }

    /**
     * What makes a file itself: its file key (device and inode) when it exists, else its name in its
     * directory with the directory's links resolved; and whether it is a character device.
     */
    private record Identity(Object key, boolean characterDevice) {

        static Identity of(Path p, boolean followLinks) {
            LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, options);
                if (a.fileKey() != null) {
                    return new Identity(a.fileKey(), a.isOther() && isCharacterDevice(p, options));
                }
            } catch (IOException e) {
                // not there (or not reachable): compared by name
            }
            // as the file system resolves it: a ".." after a link is taken from the link's target
            Path abs = p.toAbsolutePath();
            Path dir = abs.getParent();
            return new Identity(followLinks || dir == null ? FilePaths.resolved(abs)
                    : FilePaths.resolved(dir).resolve(abs.getFileName()), false);
        }

        boolean clashes(Identity other) {
            return Objects.equals(key, other.key) && !(characterDevice && other.characterDevice);
        }

        private static boolean isCharacterDevice(Path p, LinkOption[] options) {
            try {
                Object mode = Files.getAttribute(p, "unix:mode", options);
                return mode instanceof Integer m && (m & 0170000) == 0020000;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return false;
            }
        }
    }
}
