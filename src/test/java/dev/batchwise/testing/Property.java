package dev.batchwise.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-test runner: generates cases from seeded {@link Random}s, runs the property on
 * each, and on the first failure shrinks the case and fails with the seed and the smallest failing
 * case found.
 *
 * <p>Reproducible: case {@code i} comes from seed {@code base + i}, where the base is fixed unless
 * {@code -Dbatchwise.seed=N} says otherwise. {@code -Dbatchwise.tries=F} multiplies every property's
 * tries, for a longer search on a developer's machine; the suite's own counts keep {@code mvn verify} fast.
 */
public final class Property {

    private static final long BASE_SEED = Long.getLong("batchwise.seed", 20_251_130L);
    private static final double TRIES_FACTOR = Double.parseDouble(System.getProperty("batchwise.tries", "1"));
    /** The most candidates tried while shrinking one failure. */
    private static final int SHRINK_BUDGET = 2000;

    private Property() {}

    /** Tries {@code property} on {@code tries} generated cases, without shrinking. */
    public static <T> void forAll(int tries, Function<Random, T> generate, Consumer<T> property) {
        forAll(tries, generate, c -> List.of(), property, String::valueOf);
    }

    /**
     * Tries {@code property} on {@code tries} generated cases.
     *
     * @param shrink smaller variants of a case, most promising first; a failing variant replaces the case
     * @param show how a case is printed in the failure message
     */
    public static <T> void forAll(int tries, Function<Random, T> generate, Function<T, List<T>> shrink,
            Consumer<T> property, Function<T, String> show) {
        int n = Math.max(1, (int) Math.round(tries * TRIES_FACTOR));
        for (int i = 0; i < n; i++) {
            long seed = BASE_SEED + i;
            T c = generate.apply(new Random(seed));
            Throwable failure = failure(property, c);
            if (failure == null) {
                continue;
            }
            int budget = SHRINK_BUDGET;
            boolean smaller = true;
            while (smaller && budget > 0) {
                smaller = false;
                for (T candidate : shrink.apply(c)) {
                    if (--budget < 0) {
                        break;
                    }
                    Throwable f = failure(property, candidate);
                    if (f != null) {
                        c = candidate;
                        failure = f;
                        smaller = true;
                        break;
                    }
                }
            }
            throw new AssertionError("property failed for seed " + seed + " (rerun with -Dbatchwise.seed=" + seed
                    + "), shrunk case:\n" + show.apply(c) + "\n" + failure, failure);
        }
    }

    private static <T> Throwable failure(Consumer<T> property, T c) {
        try {
            property.accept(c);
            return null;
        } catch (RuntimeException | AssertionError e) {
            return e;
        }
    }

    /** Shorter variants of {@code bytes}: halves, then ever smaller chunks removed, then single bytes. */
    public static List<byte[]> shrinkBytes(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        for (int chunk = Math.max(1, bytes.length / 2); chunk >= 1; chunk /= 2) {
            for (int at = 0; at + chunk <= bytes.length; at += chunk) {
                byte[] b = new byte[bytes.length - chunk];
                System.arraycopy(bytes, 0, b, 0, at);
                System.arraycopy(bytes, at + chunk, b, at, bytes.length - at - chunk);
                out.add(b);
            }
            if (chunk == 1) {
                break;
            }
        }
        return out;
    }

    /** Bytes as Java-escaped text, readable in a failure message. */
    public static String show(byte[] bytes) {
        StringBuilder b = new StringBuilder("\"");
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '"' || c == '\\') {
                b.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.append("\" (").append(bytes.length).append(" bytes)").toString();
    }
}
