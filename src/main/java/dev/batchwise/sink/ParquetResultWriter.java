package dev.batchwise.sink;

import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Parquet: one row per record, with the columns of {@link OutputLayout#columns()} ({@code id}, the
 * kept columns, the outputs, {@code error}, the timing columns); a vector output as a list of
 * float (or of half floats or 8-bit integers, see {@link EmbeddingFormat}), a chunked record's pieces
 * as a list of {@code {index, start, end, embedding}}.
 *
 * <p>Each column's type comes from the first successful record's value ({@link ParquetColumn#of}),
 * so failed records before it are held until it comes (or until close, where the outputs of a run
 * with no success are strings). Kept columns and {@code error} are strings. Pages are not
 * compressed: vectors of floats barely compress, and no codec library is needed.
 *
 * <p>Apache Parquet's writer is used without Hadoop: it writes to an {@link OutputFile} over the
 * stream it is given and takes its settings from a {@link PlainParquetConfiguration}.
 *
 * <p>A Parquet file is readable only once closed (its footer is written last); {@link #flush()}
 * writes nothing, and a stopped run's partial file cannot be continued. Rows are written a row group
 * ({@link #ROW_GROUP_BYTES}) at a time.
 */
public final class ParquetResultWriter implements ResultWriter {

    /** Bytes of rows held before a row group is written out. */
    static final long ROW_GROUP_BYTES = 32L << 20;

    private final OutputStream out;
    private final OutputLayout layout;
    /** Failed records that came before the first successful one, whose values fix the columns' types. */
    private final List<Result> held = new ArrayList<>();
    private List<ParquetColumn> columns;
    private ParquetWriter<Result> writer;

    /** @param out where the file goes; closed by {@link #close()} */
    public ParquetResultWriter(OutputStream out, OutputLayout layout) {
        this.out = out;
        this.layout = layout;
    }

    @Override
    public void write(Result r) throws IOException {
        if (writer == null) {
            if (r.failed()) {
                held.add(r);
                return;
            }
            start(r);
        }
        writer.write(r);
    }

    private void start(Result first) throws IOException {
        columns = new ArrayList<>();
        columns.add(ParquetColumn.of(OutputLayout.ID, first == null ? null : first.key()));
        for (String k : layout.keep()) {
            columns.add(new ParquetColumn(k, ParquetColumn.Kind.STRING, null));
        }
        for (int i = 0; i < layout.outputs().size(); i++) {
            columns.add(ParquetColumn.of(layout.outputs().get(i), first == null ? null : first.outputs()[i]));
        }
        columns.add(new ParquetColumn(OutputLayout.ERROR, ParquetColumn.Kind.STRING, null));
        if (layout.withTiming()) {
            for (int i = 0; i < 3; i++) {
                columns.add(new ParquetColumn(OutputLayout.TIMING.get(i), ParquetColumn.Kind.DOUBLE, null));
            }
            columns.add(new ParquetColumn(OutputLayout.TIMING.get(3), ParquetColumn.Kind.INT64, null));
        }
        List<Type> types = columns.stream().map(ParquetColumn::type).toList();
        MessageType schema = new MessageType("batchwise", types);
        writer = new Builder(new StreamOutputFile(out), schema, columns, layout).withConf(new PlainParquetConfiguration())
                .withCodecFactory(Uncompressed.FACTORY).withRowGroupSize(ROW_GROUP_BYTES).build();
        for (Result r : held) {
            writer.write(r);
        }
        held.clear();
    }

    /** Nothing: a Parquet file is written a row group at a time, and readable only when closed. */
    @Override
    public void flush() {}

    /** Writes the rows held and the footer, then closes the stream. */
    @Override
    public void close() throws IOException {
        if (writer == null) {
            start(null);
        }
        writer.close();
    }

    /** The values of a result's row, column by column. */
    private static final class Rows extends WriteSupport<Result> {
        private final MessageType schema;
        private final List<ParquetColumn> columns;
        private final OutputLayout layout;
        private RecordConsumer consumer;

        Rows(MessageType schema, List<ParquetColumn> columns, OutputLayout layout) {
            this.schema = schema;
            this.columns = columns;
            this.layout = layout;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        /** Not used: the writer is built with a {@link PlainParquetConfiguration}. */
        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Result r) {
            consumer.startMessage();
            int c = 0;
            try {
                columns.get(c).write(consumer, c, r.key());
                c++;
                for (int k = 0; k < layout.keep().size(); k++, c++) {
                    columns.get(c).write(consumer, c, r.kept() == null ? null : r.kept()[k]);
                }
                for (int o = 0; o < layout.outputs().size(); o++, c++) {
                    columns.get(c).write(consumer, c, r.failed() ? null : r.outputs()[o]);
                }
                columns.get(c).write(consumer, c, r.failed() ? r.failure().code().label() + " at " + r.origin() + ": "
                        + r.failure().message() : null);
                c++;
                if (layout.withTiming()) {
                    columns.get(c).write(consumer, c, Values.millis(r.queueNanos()).doubleValue());
                    columns.get(c + 1).write(consumer, c + 1, Values.millis(r.computeNanos()).doubleValue());
                    columns.get(c + 2).write(consumer, c + 2, Values.millis(r.latencyNanos()).doubleValue());
                    columns.get(c + 3).write(consumer, c + 3, (long) r.batchSize());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            consumer.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Result, Builder> {
        private final Rows rows;

        Builder(OutputFile file, MessageType schema, List<ParquetColumn> columns, OutputLayout layout) {
            super(file);
            this.rows = new Rows(schema, columns, layout);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Result> getWriteSupport(ParquetConfiguration conf) {
            return rows;
        }

        /** Not used: the writer is built with a {@link PlainParquetConfiguration}. */
        @Override
        protected WriteSupport<Result> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return rows;
        }
    }

    /** A Parquet output file over a stream, counting the bytes written for the file's offsets. */
    private record StreamOutputFile(OutputStream out) implements OutputFile {
        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    position++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    position += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }

    /** Pages as they are: Parquet's own codec factory would load Hadoop's codec classes. */
    private static final class Uncompressed implements CompressionCodecFactory.BytesInputCompressor {
        static final CompressionCodecFactory FACTORY = new CompressionCodecFactory() {
            @Override
            public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
                return new Uncompressed();
            }

            @Override
            public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
                throw new UnsupportedOperationException("batchwise only writes Parquet");
            }

            @Override
            public void release() {}
        };

        @Override
        public BytesInput compress(BytesInput bytes) {
            return bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.UNCOMPRESSED;
        }

        @Override
        public void release() {}
    }
}
