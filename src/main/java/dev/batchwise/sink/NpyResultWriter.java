package dev.batchwise.sink;

import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A NumPy {@code .npy} array of the vector output, {@code [N, dim]}, one row per record in input
 * order, with the records' ids (and kept columns, and errors) beside it as JSON Lines, one line per
 * row: {@code {"id": 1}}, or {@code {"id": 2, "error": {...}}} for a failed record, whose row is NaN
 * (zero for integer types).
 *
 * <p>The file follows numpy's format, version 1.0: the magic {@code \x93NUMPY}, the version, a
 * little-endian 2-byte header length, and a header dict ({@code descr}, {@code fortran_order},
 * {@code shape}) padded with spaces to end in a newline at {@link #DATA_OFFSET} bytes, a multiple of
 * 64; then the rows, C order. The element type is the first vector's: {@code <f4} for floats,
 * {@code <f2} for half floats, {@code |i1} for int8 and binary vectors.
 *
 * <p>The header has room for any shape, so it is rewritten in place: with the dimension once the
 * first vector is known, and with the row count at every {@link #flush()} and at {@link #close()}.
 * A file cut off after a flush is a valid array of the rows flushed; {@link #resume} continues one
 * from a given row count, truncating anything after it.
 */
public final class NpyResultWriter implements ResultWriter {

    /** Where the rows start: the header's whole length, a multiple of 64 with room for any shape. */
    public static final int DATA_OFFSET = 128;

    private final FileChannel array;
    private final JsonlResultWriter ids;
    private final OutputStream idsOut;
    private final int output;
    private String descr;
    private int dim = -1;
    private int itemBytes;
    private long rows;
    /** Failed records before the first vector, whose rows are written once the dimension is known. */
    private long pendingRows;
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * A new array: writes the header (of an empty array) at the start of {@code array}.
     *
     * @param array the {@code .npy} file, written from position 0 (truncated here); closed by {@link #close()}
     * @param ids where the id lines go; closed by {@link #close()}
     * @throws IllegalArgumentException when the layout has not exactly one output (the vector)
     */
    public NpyResultWriter(FileChannel array, OutputStream ids, OutputLayout layout) throws IOException {
        this(array, ids, layout, 0, true);
    }

    private NpyResultWriter(FileChannel array, OutputStream ids, OutputLayout layout, long rows, boolean fresh)
            throws IOException {
        if (layout.outputs().size() != 1) {
            throw new IllegalArgumentException(".npy holds one vector per record; the function has "
                    + layout.outputs().size() + " outputs (" + String.join(", ", layout.outputs()) + ")");
        }
        this.array = array;
        this.ids = new JsonlResultWriter(ids, new OutputLayout(List.of(), false, layout.keep()));
        this.idsOut = ids;
        this.output = 0;
        this.rows = rows;
        if (fresh) {
            array.truncate(0);
            writeHeader();
        }
    }

    /**
     * Continues an array a stopped run left, after its first {@code rows} rows (those whose id lines
     * the caller kept): reads the element type and dimension from its header and drops what follows
     * those rows.
     *
     * @throws IOException when the file is not an array this writer made, or holds fewer rows
     */
    public static NpyResultWriter resume(FileChannel array, OutputStream ids, OutputLayout layout, long rows)
            throws IOException {
        NpyResultWriter w = new NpyResultWriter(array, ids, layout, rows, false);
        ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET);
        array.read(header, 0);
        String text = new String(header.array(), 10, DATA_OFFSET - 10, StandardCharsets.ISO_8859_1);
        if (header.position() < DATA_OFFSET || header.get(0) != (byte) 0x93 || !text.startsWith("{'descr': '")) {
            throw new IOException("not a .npy file written by batchwise (no header of " + DATA_OFFSET + " bytes)");
        }
        String descr = text.substring(11, text.indexOf('\'', 11));
        int at = text.indexOf("'shape': (") + 10;
        String[] shape = text.substring(at, text.indexOf(')', at)).split(",");
        int dim = shape.length < 2 || shape[1].isBlank() ? -1 : Integer.parseInt(shape[1].strip());
        if (rows > 0 && dim < 0) {
            throw new IOException("the .npy file's header has no dimension; it holds no row to continue from");
        }
        if (dim >= 0) {
            w.setType(descr, dim);
        }
        long end = DATA_OFFSET + rows * (long) Math.max(0, dim) * w.itemBytes;
        if (array.size() < end) {
            throw new IOException("the .npy file holds fewer than the " + rows + " rows to continue from");
        }
        array.truncate(end);
        w.writeHeader();
        return w;
    }

    @Override
    public void write(Result r) throws IOException {
        Object v = r.failed() ? null : r.outputs()[output];
        if (v != null && dim < 0) {
            startWith(v);
        }
        if (dim < 0) {
            pendingRows++;
        } else if (v == null) {
            missingRow();
        } else {
            row(v);
        }
        rows++;
        ids.write(r);
    }

    private void startWith(Object v) throws IOException {
        if (v instanceof float[] f) {
            setType("<f4", f.length);
        } else if (v instanceof Float16Vector h) {
            setType("<f2", h.bits().length);
        } else if (v instanceof Int8Vector b) {
            setType("|i1", b.values().length);
        } else {
            throw new IOException(".npy holds vectors; the output is " + Values.json(v));
        }
        writeHeader();
        for (long i = 0; i < pendingRows; i++) {
            missingRow();
        }
        pendingRows = 0;
    }

    private void setType(String descr, int dim) {
        this.descr = descr;
        this.dim = dim;
        this.itemBytes = descr.endsWith("4") ? 4 : descr.endsWith("2") ? 2 : 1;
        if (buffer.capacity() < dim * itemBytes) {
            buffer = ByteBuffer.allocate(dim * itemBytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private void row(Object v) throws IOException {
        int length = v instanceof float[] f ? f.length : v instanceof Float16Vector h ? h.bits().length
                : v instanceof Int8Vector b ? b.values().length : -1;
        String descr = v instanceof float[] ? "<f4" : v instanceof Float16Vector ? "<f2" : "|i1";
        if (length != dim || !descr.equals(this.descr)) {
            throw new IOException("every row of a .npy array has the same type and length; this record's vector is "
                    + descr + " of " + length + ", the first was " + this.descr + " of " + dim);
        }
        room(dim * itemBytes);
        if (v instanceof float[] f) {
            for (float x : f) {
                buffer.putFloat(x);
            }
        } else if (v instanceof Float16Vector h) {
            for (short x : h.bits()) {
                buffer.putShort(x);
            }
        } else {
            buffer.put(((Int8Vector) v).values());
        }
    }

    /** A failed record's row: NaN, or zero for integers. */
    private void missingRow() throws IOException {
        room(dim * itemBytes);
        for (int d = 0; d < dim; d++) {
            switch (itemBytes) {
                case 4 -> buffer.putFloat(Float.NaN);
                case 2 -> buffer.putShort((short) 0x7e00);
                default -> buffer.put((byte) 0);
            }
        }
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            drain();
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        long at = array.size();
        while (buffer.hasRemaining()) {
            at += array.write(buffer, at);
        }
        buffer.clear();
    }

    private void writeHeader() throws IOException {
        String shape = dim < 0 ? "(0,)" : "(" + (rows - pendingRows) + ", " + dim + ")";
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                descr == null ? "<f4" : descr, shape);
        StringBuilder header = new StringBuilder(dict);
        while (header.length() < DATA_OFFSET - 10 - 1) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer b = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) (DATA_OFFSET - 10));
        b.put(header.toString().getBytes(StandardCharsets.US_ASCII));
        b.flip();
        for (long at = 0; b.hasRemaining(); ) {
            at += array.write(b, at);
        }
    }

    /** Writes the rows so far and a header that counts them, so the file is a valid array of them. */
    @Override
    public void flush() throws IOException {
        drain();
        ids.flush();
        writeHeader();
    }

    /** Writes what is left and the final header; an array of no vector at all is {@code [N, 0]}. */
    @Override
    public void close() throws IOException {
        try (array; idsOut) {
            if (dim < 0) {
                setType("<f4", 0);
                pendingRows = 0;
            }
            flush();
            ids.close();
        }
    }
}
