package dev.batchwise.fn.builtin;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import dev.batchwise.util.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradio's batch example: each word cut to its length, {@code words[i][:lens[i]]}, with a simulated
 * cost per call ({@code --fn-arg delay=5s} is the example's {@code time.sleep(5)}).
 */
public final class TrimWords extends SimulatedFunction {

    public static final String NAME = "trim-words";

    static final Signature SIGNATURE = new Signature(
            List.of(new Param("words", ParamType.TEXT, "the word to trim"),
                    new Param("lens", ParamType.INTEGER, "how many characters to keep")),
            List.of("trimmed"));

    public TrimWords() {
        super(NAME, SIGNATURE, "words, lens -> trimmed: each word cut to its length (Gradio's batch example)");
    }

    @Override
    List<? extends List<?>> compute(List<List<Object>> inputs) {
        List<Object> words = inputs.get(0);
        List<Object> lens = inputs.get(1);
        List<String> trimmed = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String w = (String) words.get(i);
            long n = (Long) lens.get(i);
            trimmed.add(Text.firstCodePoints(w, n)); // by code point, as Python's w[:n]
        }
        return List.of(trimmed);
    }
}
