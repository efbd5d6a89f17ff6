package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.util.Human;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Usage errors and summaries read as written by a person: right plurals, one number format, lower-case values. */
class MessagesTest {

    private static String firstLine(Cli.Run run) {
        return run.err().lines().findFirst().orElse("");
    }

    @Test
    void countsHaveTheirNounInTheRightNumberAndThousandsSeparators() {
        assertEquals("1 record", Human.count(1, "record"));
        assertEquals("0 records", Human.count(0, "record"));
        assertEquals("6,301 records", Human.count(6301, "record"));
        assertEquals("1 batch", Human.count(1, "batch", "batches"));

        Cli.Run one = Cli.runWithStdin("only\n", "run", "--fn", "echo");
        assertEquals(0, one.exitCode(), one::toString);
        assertTrue(one.err().startsWith("1 record, 0 failed"), one::toString);
        // a count of one, not the tail of a rate such as "128.1 records/s"
        assertFalse(Pattern.compile("(?<![\\d.,])1 records\\b").matcher(one.err()).find(), one::toString);

        Cli.Run expect = Cli.runWithStdin("only\n", "run", "--fn", "echo", "--expect-records", "1234", "-q");
        assertEquals("batchwise: expected 1,234 records (--expect-records), the output has 1\n", expect.err());
    }

    @Test
    void picocliErrorsNameTheOptionOnceAndSayWhatToWrite() {
        Cli.Run keyValue = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--fn-arg", "foo");
        assertEquals(2, keyValue.exitCode());
        assertEquals("batchwise run: --fn-arg: 'foo' is not KEY=VALUE; write e.g. --fn-arg delay=5s", firstLine(keyValue));

        Cli.Run notANumber = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--workers", "two");
        assertEquals("batchwise run: --workers: 'two' is not a whole number", firstLine(notANumber));

        Cli.Run missing = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--seed");
        assertEquals("batchwise run: --seed needs a value: --seed N", firstLine(missing));
        for (Cli.Run r : new Cli.Run[] {keyValue, notANumber, missing}) {
            assertFalse(r.err().contains("option option"), r::toString);
            assertFalse(r.err().contains("Invalid value"), r::toString);
        }
    }

    @Test
    void aUnitApartFromItsNumberGetsAHintNotNoSuchFile() {
        Cli.Run delay = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--max-delay", "20", "ms");
        assertEquals(2, delay.exitCode(), delay::toString);
        assertTrue(firstLine(delay).contains("'--max-delay 20 ms': write the unit right after the number, as in "
                + "--max-delay 20ms"), delay::toString);
        assertFalse(delay.err().contains("no such file"), delay::toString);

        Cli.Run size = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--max-record-size", "64", "KiB");
        assertTrue(firstLine(size).contains("--max-record-size 64KiB"), size::toString);
        Cli.Run fnArg = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--fn-arg", "delay=5", "s");
        assertTrue(firstLine(fnArg).contains("--fn-arg delay=5s"), fnArg::toString);
    }

    @Test
    void enumValuesAreLowerCaseInErrorsHelpAndCompletionAndTypedInAnyCase() {
        Cli.Run bad = Cli.runWithStdin("x\n", "run", "--task", "clasify");
        assertEquals(2, bad.exitCode());
        assertEquals("batchwise run: --task: 'clasify' is not one of embed, classify, raw, score, generate; did you mean "
                + "'classify'?",
                firstLine(bad));
        Cli.Run badFormat = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--output-format", "XML");
        assertEquals("batchwise run: --output-format: 'XML' is not one of jsonl, csv, parquet, npy", firstLine(badFormat));

        Cli.Run upper = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--output-format", "CSV", "-q");
        assertEquals(0, upper.exitCode(), upper::toString);
        assertTrue(upper.out().startsWith("id,text"), upper::toString);

        String help = Cli.run("run", "--help").out();
        assertTrue(help.contains("csv, tsv, jsonl, text"), help);
        assertFalse(Pattern.compile("\\b(EMBED|CLASSIFY|RAW|JSONL)\\b").matcher(help).find(), help);
        assertFalse(help.contains("CSV, TSV"), help);
        String completion = Cli.run("completion").out();
        assertTrue(completion.contains("(\"csv\" \"tsv\" \"jsonl\" \"text\" \"openai-batch\")"), completion);
        assertFalse(completion.contains("\"JSONL\""), completion);
    }
}
