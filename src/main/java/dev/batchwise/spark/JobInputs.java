package dev.batchwise.spark;

import dev.batchwise.run.RunIdentity;
import dev.batchwise.source.InputException;
import dev.batchwise.source.InputFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The job's input, read with Spark's own readers, with the columns the command line would give the
 * records: CSV and TSV by their header (or 1, 2, ... without one), JSON Lines by its fields, text as
 * {@code text}. A CSV or JSON record that cannot be parsed keeps its text in {@code _corrupt_record}
 * and fails as bad input.
 *
 * <p>Input order is the order of the paths given, a glob's or a directory's files in name order (as a
 * shell expands a glob), then the position in the file. Every row carries it in three hidden columns
 * ({@link #ORDER}), set at the scan, before any shuffle: the file's rank, the start of the file split
 * the row was read from, and Spark's monotonically increasing id, which grows with the position in
 * the split.
 */
final class JobInputs {

    static final String CORRUPT = BatchTransform.CORRUPT;
    static final String FILE_RANK = "__batchwise_file";
    static final String SPLIT_START = "__batchwise_split";
    static final String ROW_ID = "__batchwise_row";
    static final List<String> ORDER = List.of(FILE_RANK, SPLIT_START, ROW_ID);

    private JobInputs() {}

    /**
     * The files the paths name, in input order, with their sizes.
     *
     * @throws InputException when a path names no file, or cannot be listed
     */
    static List<RunIdentity.InputSize> files(Configuration hadoop, List<String> paths) throws InputException {
        List<RunIdentity.InputSize> files = new ArrayList<>();
        for (String p : paths) {
            Path path = new Path(p);
            FileStatus[] matches;
            try {
                FileSystem fs = path.getFileSystem(hadoop);
                matches = fs.globStatus(path);
                if (matches == null || matches.length == 0) {
                    throw new InputException(p + ": no such file" + (p.contains("*") || p.contains("?") ? " matches"
                            : ""));
                }
                Arrays.sort(matches, Comparator.comparing(s -> s.getPath().toString()));
                for (FileStatus m : matches) {
                    if (m.isDirectory()) {
                        FileStatus[] inside = fs.listStatus(m.getPath(),
                                f -> !f.getName().startsWith(".") && !f.getName().startsWith("_"));
                        Arrays.sort(inside, Comparator.comparing(s -> s.getPath().toString()));
                        for (FileStatus f : inside) {
                            if (f.isFile()) {
                                files.add(new RunIdentity.InputSize(f.getPath().toString(), f.getLen()));
                            }
                        }
                    } else {
                        files.add(new RunIdentity.InputSize(m.getPath().toString(), m.getLen()));
                    }
                }
            } catch (IOException e) {
                throw new InputException(p + ": cannot be listed: " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new InputException(String.join(", ", paths) + ": no files to read");
        }
        return files;
    }

    /** The format the file names imply, all alike, or {@code null} when they do not say. */
    static InputFormat formatOf(List<String> files) {
        InputFormat format = null;
        for (String f : files) {
            InputFormat byName = InputFormat.fromFileName(f);
            if (byName == null || (format != null && byName != format)) {
                return null;
            }
            format = byName;
        }
        return format;
    }

    /** The rows of {@code files}, in Spark's partitions, with the hidden order columns. */
    static Dataset<Row> read(SparkSession spark, List<String> files, InputFormat format, boolean header) {
        String[] paths = files.toArray(new String[0]);
        Dataset<Row> rows = switch (format) {
            case CSV -> delimited(spark, paths, header, csvOptions(spark.read()));
            case TSV -> delimited(spark, paths, header, spark.read().option("sep", "\t").option("quote", ""));
            case JSONL -> spark.read().option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", CORRUPT)
                    .json(paths);
            case TEXT -> spark.read().text(paths).withColumnRenamed("value", "text");
            case OPENAI_BATCH -> throw new IllegalArgumentException("the Spark job does not read OpenAI batch files");
        };
        Column[] ranks = new Column[2 * files.size()];
        for (int i = 0; i < files.size(); i++) {
            ranks[2 * i] = functions.lit(files.get(i));
            ranks[2 * i + 1] = functions.lit(i);
        }
        Column path = functions.col("_metadata.file_path");
        Column rank = functions.coalesce(functions.element_at(functions.map(ranks), path),
                functions.raise_error(functions.concat(functions.lit("batchwise: a row of an input not listed: "), path)));
        Dataset<Row> ordered = rows.withColumn(FILE_RANK, rank)
                .withColumn(SPLIT_START, functions.col("_metadata.file_block_start"))
                .withColumn(ROW_ID, functions.monotonically_increasing_id());
        if (format == InputFormat.CSV || format == InputFormat.TSV) {
            // Spark reads an empty field as null; the command line reads it as the empty text it is
            String[] data = List.of(rows.columns()).stream().filter(c -> !c.equals(CORRUPT)).toArray(String[]::new);
            ordered = ordered.na().fill("", data);
        }
        return ordered;
    }

    /** RFC 4180: quoted fields may hold the separator, doubled quotes and newlines. */
    private static DataFrameReader csvOptions(DataFrameReader r) {
        return r.option("quote", "\"").option("escape", "\"").option("multiLine", "true");
    }

    /**
     * CSV or TSV with a string column per header field (or 1, 2, ... without a header), and
     * {@code _corrupt_record} for a row with too few or too many fields.
     */
    private static Dataset<Row> delimited(SparkSession spark, String[] paths, boolean header, DataFrameReader reader) {
        StructType seen = reader.option("header", Boolean.toString(header)).option("inferSchema", "false")
                .csv(paths).schema();
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < seen.fields().length; i++) {
            String name = header ? seen.fields()[i].name() : Integer.toString(i + 1);
            fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
        return reader.option("header", Boolean.toString(header))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .schema(new StructType(fields.toArray(new StructField[0])))
                .csv(paths);
    }
}
