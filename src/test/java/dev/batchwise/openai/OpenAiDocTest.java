package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/openai-batch.md lists every parameter of {@link Parameters}, with the same disposition, and no other. */
class OpenAiDocTest {

    private static String word(Parameters.Disposition d) {
        return switch (d) {
            case HONOURED -> "honoured";
            case IGNORED -> "warned";
            case DEFAULT_ONLY -> "default only";
            case REFUSED -> "refused";
        };
    }

    private static String endpoints(Parameters.Rule r) {
        if (r.endpoints().size() == Endpoint.values().length) {
            return "all";
        }
        return String.join(", ", r.endpoints().stream().map(e -> switch (e) {
            case CHAT_COMPLETIONS -> "chat";
            case COMPLETIONS -> "completions";
            case EMBEDDINGS -> "embeddings";
        }).toList());
    }

    @Test
    void theParameterTableIsTheCodes() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("docs/openai-batch.md")).stream()
                .filter(l -> l.startsWith("| `")).filter(l -> l.split("\\|").length == 5).toList();
        int matched = 0;
        for (Parameters.Rule r : Parameters.rules()) {
            String start = "| `" + r.name() + "` | " + endpoints(r) + " | " + word(r.disposition());
            assertTrue(rows.stream().anyMatch(l -> l.startsWith(start)), () -> "docs/openai-batch.md has no row starting "
                    + start);
            matched++;
        }
        long parameterRows = rows.stream().filter(l -> l.toLowerCase(Locale.ROOT).matches(
                "\\| `[a-z_]+` \\| (all|chat|completions|embeddings)[a-z, ]* \\| (honoured|warned|default only|refused).*")).count();
        assertEquals(matched, parameterRows, "one row per parameter rule");
    }
}
