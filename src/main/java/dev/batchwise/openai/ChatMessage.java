package dev.batchwise.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a chat request: its role ({@code system}, {@code user} or {@code assistant}) and its
 * content, given either as a string or as a list of text parts.
 *
 * @param text the content when the request gave a string; {@code null} when it gave parts
 * @param parts the texts of the content's parts, in order, when the request gave a list; else {@code null}
 */
public record ChatMessage(String role, String text, List<String> parts) {

    public ChatMessage {
        Objects.requireNonNull(role);
        if ((text == null) == (parts == null)) {
            throw new IllegalArgumentException("a message has either a text or parts");
        }
        parts = parts == null ? null : List.copyOf(parts);
    }

    public static ChatMessage of(String role, String text) {
        return new ChatMessage(role, text, null);
    }

    public static ChatMessage ofParts(String role, List<String> parts) {
        return new ChatMessage(role, null, parts);
    }

    /** The content as one string: the text, or the parts joined with a newline (as vLLM joins them). */
    public String joinedText() {
        return text != null ? text : String.join("\n", parts);
    }

    /**
     * The message as a chat template reads it: {@code {"role", "content"}}, with the content a string, or
     * (when {@code keepParts} and the request gave parts) the list of {@code {"type": "text", "text"}}
     * parts the request gave.
     */
    Map<String, Object> templateValue(boolean keepParts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        if (parts != null && keepParts) {
            List<Object> list = new ArrayList<>(parts.size());
            for (String p : parts) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("type", "text");
                part.put("text", p);
                list.add(part);
            }
            m.put("content", list);
        } else {
            m.put("content", joinedText());
        }
        return m;
    }
}
