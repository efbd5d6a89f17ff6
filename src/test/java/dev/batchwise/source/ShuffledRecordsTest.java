package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShuffledRecordsTest {

    /** Records 1..n, each holding its own number as field "n". */
    private static RecordStream numbers(int n) {
        return new RecordStream() {
            private long read;

            @Override
            public Record next() {
                if (read == n) {
                    return null;
                }
                read++;
                long n = read;
                return Record.of(read, new Origin("numbers", read), new Fields() {
                    @Override
                    public Object get(String name) {
                        return name.equals("n") ? n : null;
                    }

                    @Override
                    public List<String> names() {
                        return List.of("n");
                    }
                });
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public long recordsRead() {
                return read;
            }
        };
    }

    /** The original numbers in the order given; checks the new sequence numbers on the way. */
    private static List<Long> drain(RecordStream s) throws InputException {
        List<Long> order = new ArrayList<>();
        Record r;
        while ((r = s.next()) != null) {
            assertEquals(order.size() + 1, r.seq(), "numbered again from 1 in the order given");
            assertEquals(r.origin().line(), ((Number) r.fields().get("n")).longValue(), "its origin stays");
            order.add(r.origin().line());
        }
        assertNull(s.next());
        return order;
    }

    @Test
    void everyRecordComesOutOnceInAnOrderTheSeedFixes() throws Exception {
        List<Long> first = drain(new ShuffledRecords(numbers(1000), 100, 7));
        assertEquals(1000, first.size());
        assertEquals(1000, first.stream().distinct().count());
        assertEquals(first, drain(new ShuffledRecords(numbers(1000), 100, 7)), "same seed, same order");
        assertNotEquals(first, drain(new ShuffledRecords(numbers(1000), 100, 8)), "another seed, another order");
        assertNotEquals(first.subList(0, 100), first.stream().sorted().toList().subList(0, 100), "shuffled");
    }

    @Test
    void aRecordIsGivenWithinTheWindowOfItsPlace() throws Exception {
        List<Long> order = drain(new ShuffledRecords(numbers(5000), 64, 1));
        for (int i = 0; i < order.size(); i++) {
            assertTrue(order.get(i) <= i + 64, "the " + (i + 1) + "th record given cannot be read later than "
                    + (i + 64) + "; it is " + order.get(i));
        }
    }

    @Test
    void aStreamShorterThanTheWindowIsShuffledWhole() throws Exception {
        List<Long> order = drain(new ShuffledRecords(numbers(50), 10_000, 3));
        assertEquals(50, order.size());
        assertNotEquals(List.of(1L, 2L, 3L, 4L, 5L), order.subList(0, 5));
        assertTrue(order.subList(0, 10).stream().anyMatch(n -> n > 40), "the last records can come first: " + order);
    }

    @Test
    void anEmptyStreamGivesNothing() throws Exception {
        ShuffledRecords s = new ShuffledRecords(numbers(0), 10, 1);
        assertNull(s.next());
        assertTrue(s.ready());
        assertEquals(0, s.recordsRead());
    }
}
