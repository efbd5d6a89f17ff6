package dev.batchwise.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"5s, 5000000000", "250ms, 250000000", "1.5s, 1500000000", "100us, 100000", "2m, 120000000000",
        "0, 0", "20, 20000000", "3ns, 3", "1h, 3600000000000", ".5s, 500000000"})
    void parses(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5s", "5 years", "1e3s"})
    void rejectsWithTheAcceptedForms(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("'" + text + "' is not a duration; write e.g. 5s, 250ms, 1.5s, 100us, 2m", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"850000, 850us", "12300000, 12.3ms", "4560000000, 4.56s", "185000000000, 3m05s"})
    void formats(long nanos, String text) {
        assertEquals(text, Durations.format(nanos));
    }
}
