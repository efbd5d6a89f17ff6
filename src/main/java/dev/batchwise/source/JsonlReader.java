package dev.batchwise.source;

import dev.batchwise.util.Phrase;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads JSON Lines: one JSON object per line. Blank lines are skipped. A line that is not JSON, holds
 * something after the object, repeats a key, or holds a JSON value other than an object is a bad
 * record; the next line is read normally. A line of an errors file is read back as the record it
 * stands for ({@link ErrorsFileFormat}); such a file has no columns to check up front.
 */
final class JsonlReader implements RecordReader {

    /**
     * Parses each line with a streaming parser straight from its bytes into a small field list, which
     * is about twice as fast as binding an ObjectNode tree; nested arrays and objects become trees.
     */
    private static final ObjectMapper VALUES = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String source;
    private final LineReader lines;
    private Record peeked;

    /** @param lines a reader that does not decode: lines are parsed from their bytes */
    JsonlReader(String source, LineReader lines) {
        this.source = source;
        this.lines = lines;
    }

    @Override
    public List<String> columns() throws IOException {
        if (peeked == null) {
            peeked = read(0);
        }
        if (peeked == null || peeked.isBad() || peeked.originalSeq() != null) {
            // an errors file holds failed records of every kind: its first one says nothing of the rest
            return List.of();
        }
        return peeked.fields().names();
    }

    @Override
    public long columnsLine() throws IOException {
        return columns().isEmpty() ? 0 : peeked.origin().line();
    }

    @Override
    public Record next(long seq) throws IOException {
        if (peeked != null) {
            Record r = peeked;
            peeked = null;
            return r.withSeq(seq);
        }
        return read(seq);
    }

    private Record read(long seq) throws IOException {
        do {
            if (!lines.next()) {
                return null;
            }
        } while (lines.status() == LineReader.Status.OK && lines.isBlank());
        Origin origin = new Origin(source, lines.lineNumber());
        if (lines.status() != LineReader.Status.OK) {
            return Record.bad(seq, origin, lines.problem());
        }
        try (JsonParser p = VALUES.getFactory().createParser(lines.bytes(), lines.start(), lines.end() - lines.start())) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                JsonNode node = VALUES.readTree(p);
                if (p.nextToken() != null) {
                    throw new JsonParseException(p, "Trailing token after a JSON value");
                }
                return Record.bad(seq, origin, Phrase.text("is a JSON " + node.getNodeType().name()
                        .toLowerCase(Locale.ROOT) + ", not an object; each line must be one object such as "
                        + "{\"text\": \"...\"}"), lineText());
            }
            List<String> names = new ArrayList<>(4);
            List<JsonNode> values = new ArrayList<>(4);
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                names.add(name);
                values.add(value(p, t));
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "Trailing token after the object");
            }
            Record again = ErrorsFileFormat.readBack(seq, origin, names, values);
            return again != null ? again : Record.of(seq, origin, new JsonFields(names, values));
        } catch (JsonProcessingException e) {
            return Record.bad(seq, origin, Phrase.text("not valid JSON: " + describe(e)), lineText());
        }
    }

    /**
     * The value the parser is at, nested objects and arrays included, with every number as written
     * ({@link JsonNumber}).
     */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> JsonNumber.of(p);
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            case START_ARRAY -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(p, next));
                }
                yield array;
            }
            case START_OBJECT -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                String field;
                while ((field = p.nextFieldName()) != null) {
                    object.set(field, value(p, p.nextToken()));
                }
                yield object;
            }
            default -> throw new JsonParseException(p, "Unexpected " + t);
        };
    }

    /** The current line as text; it is valid UTF-8, as the line reader checked. */
    private String lineText() {
        return new String(lines.bytes(), lines.start(), lines.end() - lines.start(), StandardCharsets.UTF_8);
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
    public boolean ready() {
        return peeked != null || lines.ready();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    /** The fields of one JSON object. */
    static final class JsonFields implements Fields {
        private final List<String> names;
        private final List<JsonNode> values;

        JsonFields(List<String> names, List<JsonNode> values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public Object get(String name) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals(name)) {
                    return values.get(i);
                }
            }
            return null;
        }

        @Override
        public List<String> names() {
            return names;
        }
    }
}
