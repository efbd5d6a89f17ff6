package dev.batchwise.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads JSON Lines: one JSON object per line. Blank lines are skipped. A line that is not JSON, holds
 * something after the object, repeats a key, or holds a JSON value other than an object is a bad
 * record; the next line is read normally.
 */
final class JsonlReader implements RecordReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectReader READER = MAPPER.readerFor(JsonNode.class);

    private final String source;
    private final PhysicalLines lines;
    private Record peeked;

    JsonlReader(String source, LineReader lineReader) {
        this.source = source;
        this.lines = new PhysicalLines(lineReader);
    }

    @Override
    public List<String> columns() throws IOException {
        if (peeked == null) {
            peeked = read(0);
        }
        if (peeked == null || peeked.isBad()) {
            return List.of();
        }
        return peeked.fields().names();
    }

    @Override
    public Record next(long seq) throws IOException {
        if (peeked != null) {
            Record r = peeked;
            peeked = null;
            return r.isBad() ? Record.bad(seq, r.origin(), r.problem()) : Record.of(seq, r.origin(), r.fields());
        }
        return read(seq);
    }

    private Record read(long seq) throws IOException {
        PhysicalLines.Line line;
        do {
            line = lines.next();
            if (line == null) {
                return null;
            }
        } while (line.problem() == null && line.text().isBlank());
        Origin origin = new Origin(source, line.number());
        if (line.problem() != null) {
            return Record.bad(seq, origin, line.problem());
        }
        JsonNode node;
        try {
            node = READER.readTree(line.text());
        } catch (JsonProcessingException e) {
            return Record.bad(seq, origin, "not valid JSON: " + describe(e));
        }
        if (!(node instanceof ObjectNode object)) {
            return Record.bad(seq, origin, "is a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an object; each line must be one object such as {\"text\": \"...\"}");
        }
        return Record.of(seq, origin, new JsonFields(object));
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        if (cut >= 0) {
            message = message.substring(0, cut);
        }
        if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
            message += " (column " + e.getLocation().getColumnNr() + ")";
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /** The fields of one JSON object. */
    static final class JsonFields implements Fields {
        private final ObjectNode object;

        JsonFields(ObjectNode object) {
            this.object = object;
        }

        @Override
        public Object get(String name) {
            return object.get(name);
        }

        @Override
        public List<String> names() {
            List<String> names = new ArrayList<>(object.size());
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            return names;
        }

        @Override
        public String toString() {
            return object.toString();
        }
    }
}
