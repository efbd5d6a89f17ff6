package dev.batchwise.output;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.batchwise.sink.FailedRecordWriter;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.sink.OutputLayout;

/**
 * Reads back an output that a run left unfinished (interrupted, or killed mid-write), for a resumed
 * run: how many records it holds, where the last complete one ends, and the key of that one.
 *
 * <p>Output line (row) k is record k, so the records held are the complete lines (CSV: rows, which
 * may span lines inside quotes, after the header row). A last line without its line end was cut off
 * by a crash: it does not count, and {@link #validBytes()} ends before it. Streams the file; holds
 * one line at a time.
 *
 * @param records complete records held (for CSV, not counting the header row)
 * @param validBytes the length of the file up to and including the last complete record (for CSV
 *     with no complete record, 0: the header is written again)
 * @param lastKey the key of the last complete record as it appears in the file ({@link OutputFormat#keyText}),
 *     or {@code null} when it holds none
 */
record PartialOutput(long records, long validBytes, String lastKey) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final CsvMapper CSV = new CsvMapper();

    /**
     * @throws IOException when the file cannot be read, or its last complete record is not one this
     *     format writes (the message says which)
     */
    static PartialOutput scan(Path file, OutputFormat format) throws IOException {
        boolean csv = format == OutputFormat.CSV;
        long rows = 0;
        long endOfLast = 0;
        long startOfLast = 0;
        long offset = 0;
        boolean inQuotes = false;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (csv && b == '"') {
                        inQuotes = !inQuotes; // a doubled quote inside a quoted field toggles twice
                    } else if (b == '\n' && !inQuotes) {
                        rows++;
                        startOfLast = endOfLast;
                        endOfLast = offset + i + 1;
                    }
                }
                offset += n;
            }
        }
        long records = csv ? Math.max(0, rows - 1) : rows;
        if (records == 0) {
            return new PartialOutput(0, csv ? 0 : endOfLast, null);
        }
        String last = readRange(file, startOfLast, endOfLast);
        return new PartialOutput(records, endOfLast, csv ? csvKey(last) : jsonKey(last));
    }

    /**
     * How many records of a partial output (cut back to its complete records) were written as
     * failed: JSON Lines with an object in a field {@code error} (no output or kept column may be named so),
     * CSV rows with a non-empty {@code error} cell.
     */
    static long failedRecords(Path file, OutputFormat format) throws IOException {
        long failed = 0;
        if (Files.size(file) == 0) {
            return 0; // killed before its first row, or cut back to nothing
        }
        // streamed token by token, never a whole line or row: a large output read back leaves little
        // garbage to grow the heap of the run that follows
        if (format == OutputFormat.CSV) {
            try (InputStream in = Files.newInputStream(file);
                    CsvParser p = (CsvParser) CSV.getFactory().createParser(in)) {
                p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
                int errorColumn = -1;
                long row = -2; // the parser keeps no indices: the wrapping array is -1, the header row 0
                int column = 0;
                for (JsonToken t; (t = p.nextToken()) != null; ) {
                    if (t == JsonToken.START_ARRAY) {
                        row++;
                        column = 0;
                    } else if (t == JsonToken.VALUE_STRING) {
                        if (row == 0 && OutputLayout.ERROR.equals(p.getText())) {
                            errorColumn = column;
                        } else if (row > 0 && column == errorColumn && p.getTextLength() > 0) {
                            failed++;
                        }
                        column++;
                    }
                }
            }
            return failed;
        }
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.getFactory().createParser(in)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                boolean answer = false; // an OpenAI batch answer line: its id is batch_req_...
                for (int field = 0; p.nextToken() == JsonToken.FIELD_NAME; field++) {
                    String name = p.currentName();
                    boolean id = field == 0 && OutputLayout.ID.equals(name);
                    p.nextToken();
                    if (id && p.currentToken() == JsonToken.VALUE_STRING) {
                        answer = p.getText().startsWith(ANSWER_ID_PREFIX);
                    } else if (answer && ANSWER_RESPONSE.equals(name) && failedAnswer(p)) {
                        failed++; // an OpenAI batch answer line whose status is not 200
                    } else if (!answer && OutputLayout.ERROR.equals(name) && p.currentToken() == JsonToken.START_OBJECT) {
                        // wherever the layout puts it (after the columns kept with keep): names are unique
                        // across id, kept columns, outputs and timing, so only a failed record's line has it
                        failed++;
                        p.skipChildren();
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return failed;
    }

    /** The field of an OpenAI batch answer line that holds its HTTP-shaped response. */
    private static final String ANSWER_RESPONSE = "response";
    /** How the ids of OpenAI batch answer lines start. */
    private static final String ANSWER_ID_PREFIX = "batch_req_";

    /**
     * Reads the object at the parser (the value of a line's {@code response}) to its end: whether it
     * is an OpenAI batch answer's response with a {@code status_code} other than 200.
     */
    private static boolean failedAnswer(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean failed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("status_code".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                failed = p.getIntValue() != 200;
            } else {
                p.skipChildren();
            }
        }
        return failed;
    }

    private static String jsonKey(String line) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IOException("its last complete line is not JSON", e);
        }
        if (node == null || !node.isObject() || !node.has(OutputLayout.ID)) {
            throw new IOException("its last complete line is not an output line with an \"id\"");
        }
        return JSON.writeValueAsString(node.get(OutputLayout.ID));
    }

    private static String csvKey(String row) throws IOException {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(row)) {
            String[] cells = rows.hasNext() ? rows.next() : new String[0];
            if (cells.length == 0) {
                throw new IOException("it is empty");
            }
            return cells[0];
        } catch (IOException e) {
            throw new IOException("its last complete row is not CSV: " + e.getMessage(), e);
        }
    }

    private static String readRange(Path file, long from, long to) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, to - from)));
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The length of an errors file ({@link FailedRecordWriter}) up to and including its line for the
     * last failed record of those done: what a resumed run keeps of it. Each failed record's errors line
     * is written before its output line, one for one and in the same order, so the first
     * {@code failedDone} complete lines are those of the failed records the output holds; lines after
     * them were written for records whose output lines were lost, or were cut off. Counted, not matched
     * by {@code _error.seq}: a record run again from an errors file keeps the number of the run that
     * first failed it.
     */
    static long errorsUpTo(Path errors, long failedDone) throws IOException {
        if (failedDone == 0) {
            return 0;
        }
        long lines = 0;
        long offset = 0;
        long complete = 0; // the end of the last complete line
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(errors)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        complete = offset + i + 1;
                        if (++lines == failedDone) {
                            return complete;
                        }
                    }
                }
                offset += n;
            }
        }
        return complete;
    }
}
