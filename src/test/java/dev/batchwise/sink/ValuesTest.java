package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a worker does to a function's output value before the sink's lock ({@link Values#prepare}): a
 * value that cannot be written fails its record there, with a reason, and never half a line; and the
 * lone surrogates that UTF-8 cannot hold, which JSON Lines escapes and CSV cannot carry.
 */
class ValuesTest {

    private static final String LONE_HIGH = "\uD83D";
    private static final String PAIR = "\uD83D\uDE00";

    @Test
    void scalarsAndFloatArraysGoAsTheyAre() throws UnwritableValueException {
        float[] embedding = {1f, 2f};
        for (Object v : new Object[] {"text", 5L, 6, 0.25, 1.5f, true, embedding}) {
            assertSame(v, Values.prepare(v, true), () -> "CSV: " + v);
            assertSame(v, Values.prepare(v, false), () -> "JSON Lines: " + v);
        }
        assertEquals(null, Values.prepare(null, true));
    }

    @Test
    void textWithALoneSurrogateFailsForCsvAndGoesToJsonLines() throws UnwritableValueException {
        String text = "ab" + LONE_HIGH + "c";
        UnwritableValueException e = assertThrows(UnwritableValueException.class, () -> Values.prepare(text, true));
        assertEquals("text with a lone surrogate (U+D83D at character 3), which UTF-8 cannot encode", e.getMessage());
        assertSame(text, Values.prepare(text, false));
        String afterAPair = PAIR + LONE_HIGH;
        e = assertThrows(UnwritableValueException.class, () -> Values.prepare(afterAPair, true));
        assertEquals("text with a lone surrogate (U+D83D at character 2), which UTF-8 cannot encode", e.getMessage(),
                "counted in characters, a pair being one");
        assertSame(PAIR, Values.prepare(PAIR, true), "a surrogate pair is a character UTF-8 encodes");
    }

    @Test
    void jsonValuesAreCheckedAsTheirText() throws UnwritableValueException {
        TextNode lone = TextNode.valueOf("x" + LONE_HIGH);
        UnwritableValueException e = assertThrows(UnwritableValueException.class, () -> Values.prepare(lone, true));
        assertTrue(e.getMessage().startsWith("text with a lone surrogate (U+D83D at character 2)"), e.getMessage());
        assertSame(lone, Values.prepare(lone, false));
        JsonNode number = JsonNodeFactory.instance.numberNode(3);
        assertSame(number, Values.prepare(number, true));
    }

    @Test
    void otherValuesBecomeJsonTreesBeforeTheLineIsWritten() throws Exception {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("label", "pos");
        top.put("score", 0.5);
        Object tree = Values.prepare(List.of(top), true);
        assertEquals(JsonMapper.builder().build().readTree("[{\"label\":\"pos\",\"score\":0.5}]"), tree);
        JsonNode pojo = JsonNodeFactory.instance.pojoNode(Map.of("a", 1));
        assertEquals(JsonMapper.builder().build().readTree("{\"a\":1}"), Values.prepare(pojo, false),
                "a node that holds an object is that object's tree");
    }

    /** A value whose getter fails, as a function's own type might. */
    public static final class Broken {
        private final String why;

        Broken(String why) {
            this.why = why;
        }

        public String getValue() {
            throw new IllegalStateException(why);
        }
    }

    @Test
    void aValueThatCannotBeSerialisedSaysWhyOnOneLine() {
        UnwritableValueException e = assertThrows(UnwritableValueException.class,
                () -> Values.prepare(new Broken("no value\nsecond line"), false));
        assertTrue(e.getMessage().startsWith("a " + Broken.class.getName() + " cannot be written as JSON: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("no value"), e.getMessage());
        assertTrue(!e.getMessage().contains("second line"), "only the first line: " + e.getMessage());
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        e = assertThrows(UnwritableValueException.class, () -> Values.prepare(loop, false));
        assertTrue(e.getMessage().startsWith("a java.util.ArrayList "), e.getMessage());
    }

    @Test
    void loneSurrogatesAreFoundAndReplacedInTheTextsWeWrite() {
        assertEquals(-1, Values.loneSurrogate("plain " + PAIR));
        assertEquals(1, Values.loneSurrogate("a" + LONE_HIGH));
        assertEquals(0, Values.loneSurrogate("\uDE00x"));
        assertEquals(2, Values.loneSurrogate(PAIR + "\uDE00"));
        assertEquals(1, Values.loneSurrogate("a" + LONE_HIGH + "b"), "a high surrogate not followed by a low one");
        String clean = "ids and messages " + PAIR;
        assertSame(clean, Values.withoutLoneSurrogates(clean));
        assertEquals("a\uFFFDb" + PAIR + "\uFFFD", Values.withoutLoneSurrogates("a" + LONE_HIGH + "b" + PAIR + "\uDE00"));
        assertEquals("\uFFFD", Values.withoutLoneSurrogates(LONE_HIGH), "a high surrogate at the end");
    }

    @Test
    void eachFormatPreparesForWhatItCanHoldAndIsNamedInLowerCase() throws UnwritableValueException {
        String text = LONE_HIGH;
        assertThrows(UnwritableValueException.class, () -> OutputFormat.CSV.prepare(text));
        assertSame(text, OutputFormat.JSONL.prepare(text));
        assertEquals("csv", OutputFormat.CSV.toString());
        assertEquals("jsonl", OutputFormat.JSONL.toString());
    }
}
