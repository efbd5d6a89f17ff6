package dev.batchwise.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The errors file's record format, read and written in one place: the record's own fields by name,
 * and beside them {@value #ERROR} (the failure: code, message, source, line and the record's
 * sequence number in the run that first failed it, {@code seq}) and, for a record that could not be
 * parsed, {@value #RAW} (its text as read). A record's own field whose name is one of those, or one
 * of those with more underscores in front ({@code __raw}), is written with one underscore more, and
 * read back with one less, so no field of the input is lost to the format.
 */
public final class ErrorsFileFormat {

    public static final String ERROR = "_error";
    public static final String RAW = "_raw";
    /**
     * In {@value #ERROR} of a record that could not be parsed: the text of its id column, when it
     * could be told apart (a CSV row with too few or too many fields), so that it keeps its id when
     * run again.
     */
    public static final String ID = "id";

    private static final Pattern RESERVED = Pattern.compile("_+(raw|error)");

    private ErrorsFileFormat() {}

    /** The name a record's own field is written under. */
    public static String escape(String name) {
        return RESERVED.matcher(name).matches() ? "_" + name : name;
    }

    private static String unescape(String name) {
        return name.startsWith("__") && RESERVED.matcher(name).matches() ? name.substring(1) : name;
    }

    /**
     * The record a JSON object of an errors file stands for, or {@code null} when the object is not
     * one (it has no {@value #ERROR} with a code, a message and a sequence number): its own fields,
     * names unescaped, or, for a record that could not be parsed, its problem and raw text again.
     */
    static Record readBack(long seq, Origin origin, List<String> names, List<JsonNode> values) {
        int at = names.indexOf(ERROR);
        JsonNode error = at < 0 ? null : values.get(at);
        if (error == null || !error.isObject() || !error.path("code").isTextual() || !error.path("message").isTextual()) {
            return null;
        }
        JsonNode first = error.get("seq");
        if (first == null || !first.isIntegralNumber() || !first.canConvertToLong() || first.longValue() < 1) {
            return null;
        }
        int rawAt = names.indexOf(RAW);
        if (rawAt >= 0 && values.get(rawAt).isTextual() && names.size() == 2) {
            // the message it failed with, as it was written: its setting names are already the front end's
            JsonNode id = error.get(ID);
            return Record.again(seq, origin, null, dev.batchwise.util.Phrase.text(error.path("message").textValue()),
                    values.get(rawAt).textValue(), first.longValue(), id != null && id.isTextual() ? id.textValue() : null);
        }
        List<String> ownNames = new ArrayList<>(names.size() - 1);
        List<JsonNode> ownValues = new ArrayList<>(names.size() - 1);
        for (int i = 0; i < names.size(); i++) {
            if (i != at) {
                ownNames.add(unescape(names.get(i)));
                ownValues.add(values.get(i));
            }
        }
        return Record.again(seq, origin, new JsonlReader.JsonFields(ownNames, ownValues), null, null,
                first.longValue());
    }
}
