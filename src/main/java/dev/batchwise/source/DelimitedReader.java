package dev.batchwise.source;

import dev.batchwise.util.Phrase;

import dev.batchwise.util.Bytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CSV (RFC 4180: fields may be quoted, a quoted field may hold commas, doubled quotes and
 * newlines) and TSV (split on tabs, no quoting).
 *
 * <p>Written over {@link LineReader} rather than a CSV library so that one malformed row costs one
 * record: a quoted field that does not close within {@code maxRecordBytes} or before the end of the
 * input is reported as a bad record on the line where it opened, and reading resumes on the next
 * line. Lenient where the RFC is silent, as Python's csv module is: a quote inside an unquoted field
 * is kept, and text after a closing quote is appended to the field. Blank lines are skipped.
 */
final class DelimitedReader implements RecordReader {

    private final String source;
    private final boolean csv;
    private final ReaderOptions options;
    private final PhysicalLines lines;
    private final RowFields.Header header;
    /** The line of the header row (or, without one, of the first row); 0 for an empty input. */
    private final long headerLine;
    /** Without a header row, the first row is read to name the columns and returned as the first record. */
    private Record firstRow;
    private ParsedRow firstParsed;

    /**
     * A row as parsed: its values, or the problem that kept it from being parsed.
     *
     * @param more the lines after {@code start} that a quoted field spans, or {@code null}
     */
    private record ParsedRow(PhysicalLines.Line start, List<PhysicalLines.Line> more, String[] values, Phrase problem) {
        ParsedRow(PhysicalLines.Line start, String[] values, Phrase problem) {
            this(start, null, values, problem);
        }

        /** The row's text as read, or {@code null} when its line could not be read. */
        String raw() {
            if (start.text() == null || more == null) {
                return start.text();
            }
            StringBuilder b = new StringBuilder(start.text());
            for (PhysicalLines.Line l : more) {
                b.append('\n').append(l.text());
            }
            return b.toString();
        }
    }

    DelimitedReader(String source, LineReader lineReader, InputFormat format, ReaderOptions options)
            throws IOException, InputException {
        this.source = source;
        this.csv = format == InputFormat.CSV;
        this.options = options;
        this.lines = new PhysicalLines(lineReader);
        ParsedRow first = readRow();
        if (first == null) {
            header = new RowFields.Header(List.of());
            headerLine = 0;
            return;
        }
        headerLine = first.start.number();
        if (first.problem != null) {
            throw new InputException(Phrase.of("%s:%s: cannot read the %s: %s", source, first.start.number(),
                    options.header() ? "header row" : "first row", first.problem));
        }
        if (options.header()) {
            header = new RowFields.Header(headerNames(first.values, first.start.number()));
        } else {
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= first.values.length; i++) {
                names.add(Integer.toString(i));
            }
            header = new RowFields.Header(names);
            firstParsed = first;
        }
    }

    private List<String> headerNames(String[] values, long line) throws InputException {
        List<String> names = new ArrayList<>(values.length);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            String name = values[i].strip();
            if (name.isEmpty()) {
                name = Integer.toString(i + 1);
            }
            Integer earlier = seen.putIfAbsent(name, i + 1);
            if (earlier != null) {
                throw new InputException(source + ":" + line + ": the header names '" + name + "' twice (columns "
                        + earlier + " and " + (i + 1) + "); rename one");
            }
            names.add(name);
        }
        return names;
    }

    @Override
    public List<String> columns() {
        return header.names;
    }

    @Override
    public long columnsLine() {
        return headerLine;
    }

    @Override
    public Record next(long seq) throws IOException {
        ParsedRow row;
        if (firstParsed != null) {
            row = firstParsed;
            firstParsed = null;
        } else {
            row = readRow();
        }
        if (row == null) {
            return null;
        }
        Origin origin = new Origin(source, row.start.number());
        if (row.problem != null) {
            return Record.bad(seq, origin, row.problem, row.raw());
        }
        if (row.values.length != header.size() && !options.raggedRows()) {
            return Record.bad(seq, origin, Phrase.of("has %s%s but the %s%s (fix the row, or accept such rows with "
                    + "{ragged-rows})", row.values.length, plural(" field", row.values.length),
                    options.header() ? "header has " : "first row has ", header.size()), row.raw(),
                    new RowFields(header, row.values));
        }
        return Record.of(seq, origin, new RowFields(header, row.values));
    }

    private static String plural(String word, int n) {
        return n == 1 ? word : word + "s";
    }

    /** The next non-blank row, or {@code null} at the end. */
    private ParsedRow readRow() throws IOException {
        PhysicalLines.Line line;
        do {
            line = lines.next();
            if (line == null) {
                return null;
            }
        } while (line.problem() == null && line.text().isBlank());
        if (line.problem() != null) {
            return new ParsedRow(line, null, line.problem());
        }
        if (!csv) {
            return new ParsedRow(line, line.text().split("\t", -1), null);
        }
        if (line.text().indexOf('"') < 0) {
            return new ParsedRow(line, line.text().split(",", -1), null);
        }
        return parseQuoted(line);
    }

    /** Parses a CSV row that has quotes, reading further lines while a quoted field is open. */
    private ParsedRow parseQuoted(PhysicalLines.Line start) throws IOException {
        List<String> values = new ArrayList<>();
        List<PhysicalLines.Line> continuation = null;
        StringBuilder field = new StringBuilder();
        String text = start.text();
        long recordChars = text.length();
        int i = 0;
        boolean inQuotes = false;
        boolean atFieldStart = true;
        while (true) {
            if (i == text.length()) {
                if (!inQuotes) {
                    values.add(field.toString());
                    return new ParsedRow(start, continuation, values.toArray(new String[0]), null);
                }
                PhysicalLines.Line more = lines.next();
                if (more == null || more.problem() != null || recordChars + 1 + more.text().length() > options.maxRecordBytes()) {
                    List<PhysicalLines.Line> reread = new ArrayList<>();
                    if (continuation != null) {
                        reread.addAll(continuation);
                    }
                    if (more != null) {
                        reread.add(more);
                    }
                    lines.pushBack(reread);
                    Phrase why = more == null ? Phrase.text("before the end of the input")
                            : more.problem() != null ? Phrase.of("before a line that cannot be read (line %s)",
                                    more.number())
                            : Phrase.of("within %s (the limit set by {max-record-size})",
                                    Bytes.format(options.maxRecordBytes()));
                    return new ParsedRow(start, null, Phrase.of("unbalanced quote: a quoted field opens on this line and "
                            + "does not close %s; reading resumes on the next line", why));
                }
                if (continuation == null) {
                    continuation = new ArrayList<>();
                }
                continuation.add(more);
                field.append('\n');
                text = more.text();
                recordChars += 1 + text.length();
                i = 0;
                continue;
            }
            if (inQuotes) {
                int quote = text.indexOf('"', i);
                if (quote < 0) {
                    field.append(text, i, text.length());
                    i = text.length();
                } else if (quote + 1 < text.length() && text.charAt(quote + 1) == '"') {
                    field.append(text, i, quote + 1);
                    i = quote + 2;
                } else {
                    field.append(text, i, quote);
                    i = quote + 1;
                    inQuotes = false;
                }
                atFieldStart = false;
                continue;
            }
            char c = text.charAt(i);
            if (c == '"' && atFieldStart) {
                inQuotes = true;
                i++;
                atFieldStart = false;
                continue;
            }
            if (c == ',') {
                values.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
                i++;
                continue;
            }
            // unquoted text, or text after a closing quote: up to the next comma
            int comma = text.indexOf(',', i);
            int stop = comma < 0 ? text.length() : comma;
            field.append(text, i, stop);
            i = stop;
            atFieldStart = false;
        }
    }

    @Override
    public boolean ready() {
        return firstParsed != null || lines.ready();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
