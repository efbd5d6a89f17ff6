package dev.batchwise.source;

import dev.batchwise.util.Errors;
import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/** Opens one input: checks it, undoes gzip, settles its format, and makes its reader. */
public final class Inputs {

    private static final int SNIFF_BYTES = 8192;

    private Inputs() {}

    /**
     * @param forced the format given with {@code --format}, or {@code null} to take it from the file
     *     name, or failing that from the first non-blank character ({@code {} means JSONL, anything
     *     else plain text)
     * @param stdin what {@code -} reads
     * @throws InputException naming the input, when it cannot be opened or read as the format
     */
    public static RecordReader open(Input input, InputFormat forced, ReaderOptions options, InputStream stdin)
            throws InputException {
        return open(input, forced, options, stdin, java.util.function.UnaryOperator.identity(), warning -> {});
    }

    /**
     * As above, reading the raw bytes (before any gunzipping) through {@code counting}.
     *
     * @param warnings told of what was read but ignored (trailing garbage after gzip data)
     */
    static RecordReader open(Input input, InputFormat forced, ReaderOptions options, InputStream stdin,
            java.util.function.UnaryOperator<InputStream> counting, java.util.function.Consumer<String> warnings)
            throws InputException {
        RecordReader images = input.isStdin() || forced != null ? null : imageReader(input);
        if (images != null) {
            return images;
        }
        InputStream raw = counting.apply(input.isStdin() ? stdin : openFile(input));
        try {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            if (isGzip(in)) {
                in = GzipInput.open(in, warning -> warnings.accept(input.name() + ": " + warning));
            }
            InputFormat byName = input.isStdin() ? null : InputFormat.fromFileName(input.name());
            InputFormat format = forced != null ? forced : byName;
            if (format == null || (forced == null && format == InputFormat.JSONL)) {
                char first = firstNonBlank(in);
                if (first == '[' && forced == null) {
                    throw new InputException(input.name() + " holds a JSON array; batchwise reads JSON Lines, one object"
                            + " per line: convert it with  jq -c '.[]' " + input.name());
                }
                if (format == null) {
                    format = first == '{' ? InputFormat.JSONL : InputFormat.TEXT;
                }
            }
            int max = options.maxRecordBytes();
            return switch (format) {
                case CSV, TSV -> new DelimitedReader(input.name(), new LineReader(in, max), format, options);
                case JSONL -> new JsonlReader(input.name(), new LineReader(in, max, false));
                case TEXT -> new TextReader(input.name(), new LineReader(in, max));
                case OPENAI_BATCH -> new BatchLine.Reader(new JsonlReader(input.name(), new LineReader(in, max, false)));
            };
        } catch (IOException e) {
            closeQuietly(raw);
            throw new InputException("cannot read " + input.name() + ": " + describe(e), e);
        } catch (InputException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /**
     * A reader of image records when the input is a directory that holds image files, a glob pattern
     * that names no existing file, or one file whose name is an image's; else {@code null}.
     */
    private static RecordReader imageReader(Input input) throws InputException {
        var path = input.path();
        try {
            if (Files.isDirectory(path)) {
                ImageFiles probe = ImageFiles.directory(path, input.name());
                boolean pictures = probe.next() != null;
                if (!pictures && probe.skipped() == null) {
                    throw new InputException(input.name() + " is a directory with no pictures and no other files in "
                            + "it (names starting with a dot are passed over)");
                }
                return !pictures ? null // other files, no pictures: reported as a directory below
                        : ImageFileReader.of(input.name(), ImageFiles.directory(path, input.name()));
            }
            if (!Files.exists(path) && ImageFiles.isGlob(input.name())) {
                ImageFiles probe = ImageFiles.glob(input.name());
                if (probe.next() == null) {
                    String skipped = probe.skipped();
                    throw new InputException(input.name() + ": no image file matches" + (skipped == null ? ""
                            : "; it matches " + skipped));
                }
                return ImageFileReader.of(input.name(), ImageFiles.glob(input.name()));
            }
            if (Files.isRegularFile(path) && ImageFiles.isImageName(path.getFileName().toString())) {
                return ImageFileReader.single(input.name());
            }
            return null;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InputException(input.name() + ": permission denied (cannot list " + e.getFile() + ")");
        } catch (IOException e) {
            throw new InputException("cannot list " + input.name() + ": " + describe(e), e);
        }
    }

    private static InputStream openFile(Input input) throws InputException {
        var path = input.path();
        if (Files.isDirectory(path)) {
            throw new InputException(input.name() + " is a directory; give the files in it, e.g. "
                    + path.resolve("*.csv"));
        }
        try {
            if (!Files.isRegularFile(path) && Files.exists(path)) {
                // a named pipe or <(zcat ...): a channel stream's available() seeks, which a pipe refuses
                return new java.io.FileInputStream(path.toFile());
            }
            return Files.newInputStream(path);
        } catch (NoSuchFileException | FileNotFoundException e) {
            if (e instanceof FileNotFoundException && Files.exists(path)) {
                throw new InputException(input.name() + ": permission denied (not readable)");
            }
            throw new InputException(input.name() + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(input.name() + ": permission denied (not readable)");
        } catch (IOException e) {
            throw new InputException("cannot open " + input.name() + ": " + describe(e), e);
        }
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    /** The first character that is not white space or a byte order mark, or 0 for none in the first bytes. */
    private static char firstNonBlank(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_BYTES);
        try {
            for (int i = 0; i < SNIFF_BYTES; i++) {
                int b = in.read();
                if (b < 0) {
                    return 0;
                }
                if (b == 0xEF || b == 0xBB || b == 0xBF || Character.isWhitespace(b)) {
                    continue;
                }
                return (char) b;
            }
            return 0;
        } finally {
            in.reset();
        }
    }

    static String describe(IOException e) {
        return Errors.message(e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the open failed already; that is the error to report
        }
    }
}
