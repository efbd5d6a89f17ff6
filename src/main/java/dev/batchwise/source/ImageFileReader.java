package dev.batchwise.source;

import java.io.IOException;
import java.util.List;

/**
 * One record per image file of a directory, a glob or a single image file, with one field, {@code
 * image}: the file's path as the user would write it (the directory as given, then the path in it),
 * which keys the record's output line unless another id is chosen. Records come in a stable order
 * ({@link ImageFiles}), so a run can be resumed. A record's origin is the input and the file's
 * position in the listing, from 1.
 */
final class ImageFileReader implements RecordReader {

    static final String FIELD = ImageRecords.FIELD;
    private static final List<String> COLUMNS = List.of(FIELD);

    private final String source;
    private final ImageFiles files;
    private final String single;
    private long position;

    private ImageFileReader(String source, ImageFiles files, String single) {
        this.source = source;
        this.files = files;
        this.single = single;
    }

    /** The image files a directory or glob holds. */
    static ImageFileReader of(String source, ImageFiles files) {
        return new ImageFileReader(source, files, null);
    }

    /** One image file given as an input. */
    static ImageFileReader single(String name) {
        return new ImageFileReader(name, null, name);
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public Record next(long seq) throws IOException {
        String path;
        if (files != null) {
            path = files.next();
        } else {
            path = position == 0 ? single : null;
        }
        if (path == null) {
            return null;
        }
        position++;
        return Record.of(seq, new Origin(source, position), new ImageFileFields(path));
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String endNote() {
        String skipped = files == null ? null : files.skipped();
        return skipped == null ? null : source + ": passed over " + skipped;
    }

    @Override
    public void close() {
        // nothing open: each directory is listed and closed at once
    }

    /** The fields of a record of an image listing; its path is relative to the working directory. */
    record ImageFileFields(String image) implements Fields {
        @Override
        public Object get(String name) {
            return FIELD.equals(name) ? image : null;
        }

        @Override
        public List<String> names() {
            return COLUMNS;
        }
    }
}
