package dev.batchwise.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void closestComesFirstWhateverTheCandidatesOrder() {
        List<String> options = List.of("--max-record-size", "--max-length", "--max-batch-tokens", "--max-delay",
                "--max-batch-size");
        assertEquals("--max-batch-size", Suggestions.closest("--max-batchsize", options).get(0));
        assertEquals(List.of("run"), Suggestions.closest("rnu", List.of("models", "completion", "help", "run")));
        assertEquals(List.of("minilm"), Suggestions.closest("minlm", List.of("minilm-q", "minilm")));
        assertEquals(List.of("trim-words"), Suggestions.closest("trim-word", List.of("echo", "trim-words")));
        assertEquals(List.of("per-item"), Suggestions.closest("peritem", List.of("delay", "per-item")));
    }

    @Test
    void farNamesAreNotSuggestedAndCaseIsIgnored() {
        assertEquals(List.of(), Suggestions.closest("zebra", List.of("run", "models", "completion")));
        assertEquals(List.of(), Suggestions.closest("x", List.of("run")));
        assertEquals(List.of("EMBED"), Suggestions.closest("embd", List.of("EMBED", "RAW")));
        assertEquals(List.of(), Suggestions.closest("run", List.of("run")), "an exact match is no suggestion");
    }

    @Test
    void swapsCountAsOneEdit() {
        assertEquals(1, Suggestions.distance("rnu", "run"));
        assertEquals(1, Suggestions.distance("peritem", "per-item"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
    }

    @Test
    void hintSaysWhatIsKnownEitherWay() {
        assertEquals("; did you mean 'delay'? It takes: delay, per-item",
                Suggestions.hint("dely", List.of("delay", "per-item"), "it takes"));
        assertEquals("; known: echo, trim-words", Suggestions.hint("zzz", List.of("echo", "trim-words"), "known"));
    }
}
