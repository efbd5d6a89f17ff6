package dev.batchwise.cache;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Any batch function with a cache in front: a record whose outputs the {@link OutputStore} has is
 * not run; the others are run (together, as one call of the wrapped function) and stored.
 *
 * <p>A record's key is the SHA-256 of the function's identity (for a model, the digest of its files'
 * content and every setting that changes an output; the caller makes it) and the record's input
 * values, each as its UTF-8 text (JSON text for a value that is not a string), length-prefixed. The
 * key is made from the values as read, before the wrapped function prepares them; so a prepared
 * record carries it ({@link Keyed}) to the call.
 *
 * <p>Records are looked up as they are prepared, on the intake thread: a hit is not prepared by the
 * wrapped function (no tokenizing), weighs 1, and carries its stored outputs to the call. The call
 * looks its other records up again, in one query (another worker may have stored the same text
 * since), and runs what is still missing.
 *
 * <p>Each call reports its hits and misses to {@link CallMetrics#cache}. Thread-safety: as the
 * wrapped factory's; the store takes concurrent calls.
 */
public final class CachedFunctions implements BatchFunctionFactory, RecordPreparer {

    private final BatchFunctionFactory inner;
    private final RecordPreparer innerPreparer;
    private final byte[] identity;
    private final OutputStore store;

    private CachedFunctions(BatchFunctionFactory inner, byte[] identity, OutputStore store) {
        this.inner = inner;
        this.innerPreparer = inner instanceof RecordPreparer p ? p : null;
        this.identity = identity.clone();
        this.store = store;
    }

    /**
     * @param identity what makes the function's outputs what they are, as bytes; two functions with
     *     the same identity must give the same outputs for the same inputs
     * @param store owned by the caller, closed after every function made here is done
     */
    public static CachedFunctions wrap(BatchFunctionFactory inner, byte[] identity, OutputStore store) {
        return new CachedFunctions(inner, identity, store);
    }

    /** An identity from parts (a model's content digest, its settings line, ...), hashed together. */
    public static byte[] identity(byte[] digest, String... parts) {
        MessageDigest sha = sha256();
        sha.update(digest);
        for (String p : parts) {
            sha.update((byte) 0);
            sha.update(p.getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Signature signature() {
        return inner.signature();
    }

    /**
     * A prepared record's first argument: its key, and either its stored outputs (a hit) or what the
     * wrapped function made of it.
     *
     * @param stored the outputs as stored, or {@code null} when the store had none at intake
     */
    record Keyed(byte[] key, Object prepared, byte[] stored) {}

    /**
     * Keys the record and looks it up; a miss is then prepared by the wrapped function, and weighs
     * what it says; a hit weighs 1.
     *
     * @throws IllegalStateException when the store cannot be read (the record fails, saying why)
     */
    @Override
    public int prepare(Object[] args) {
        byte[] key = key(args);
        byte[] stored;
        try {
            stored = store.get(key);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (stored != null) {
            args[0] = new Keyed(key, args[0], stored);
            return 1;
        }
        int weight = innerPreparer == null ? 1 : innerPreparer.prepare(args);
        args[0] = new Keyed(key, args[0], null);
        return weight;
    }

    byte[] key(Object[] args) {
        MessageDigest sha = sha256();
        sha.update(identity);
        for (Object a : args) {
            byte[] text;
            try {
                text = (a instanceof String s ? s : JsonMapper.builder().build().writeValueAsString(a))
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot key the record for the cache: " + e.getMessage(), e);
            }
            sha.update(new byte[] {(byte) (text.length >>> 24), (byte) (text.length >>> 16), (byte) (text.length >>> 8),
                    (byte) text.length});
            sha.update(text);
        }
        return sha.digest();
    }

    @Override
    public BatchFunction create() throws Exception {
        BatchFunction f = inner.create();
        return new Cached(f);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One worker's function: looks up the batch, runs the misses, stores them. */
    private final class Cached implements BatchFunction {
        private final BatchFunction f;

        Cached(BatchFunction f) {
            this.f = f;
        }

        @Override
        public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
            return apply(inputs, CallMetrics.NONE);
        }

        @Override
        public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
            int n = inputs.get(0).size();
            int params = inputs.size();
            List<byte[]> keys = new ArrayList<>(n);
            List<Object> firsts = new ArrayList<>(n);
            byte[][] stored = new byte[n][];
            List<byte[]> unknown = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object first = inputs.get(0).get(i);
                if (first instanceof Keyed k) {
                    keys.add(k.key());
                    firsts.add(k.prepared());
                    stored[i] = k.stored();
                } else {
                    Object[] args = new Object[params];
                    for (int p = 0; p < params; p++) {
                        args[p] = inputs.get(p).get(i);
                    }
                    keys.add(key(args));
                    firsts.add(first);
                }
                if (stored[i] == null) {
                    unknown.add(keys.get(i));
                }
            }
            if (!unknown.isEmpty()) {
                byte[][] found;
                try {
                    found = store.get(unknown);
                } catch (IOException e) {
                    throw new BatchFunctionException(e.getMessage(), e);
                }
                for (int i = 0, u = 0; i < n; i++) {
                    if (stored[i] == null) {
                        stored[i] = found[u++];
                    }
                }
            }
            int outputs = signature().outputs().size();
            Object[][] rows = new Object[n][];
            List<Integer> misses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (stored[i] != null) {
                    rows[i] = OutputCodec.decode(stored[i]);
                    if (rows[i].length != outputs) {
                        throw new BatchFunctionException("a cache entry in " + store.file() + " has " + rows[i].length
                                + " outputs; the function has " + outputs, null);
                    }
                } else {
                    misses.add(i);
                }
            }
            if (!misses.isEmpty()) {
                run(inputs, firsts, misses, rows, keys, metrics);
            }
            metrics.cache(n - misses.size(), misses.size());
            List<List<Object>> out = new ArrayList<>(outputs);
            for (int o = 0; o < outputs; o++) {
                List<Object> column = new ArrayList<>(n);
                for (Object[] row : rows) {
                    column.add(row[o]);
                }
                out.add(column);
            }
            return out;
        }

        private void run(List<List<Object>> inputs, List<Object> firsts, List<Integer> misses, Object[][] rows,
                List<byte[]> keys, CallMetrics metrics) throws Exception {
            List<List<Object>> sub = new ArrayList<>(inputs.size());
            for (int p = 0; p < inputs.size(); p++) {
                List<Object> column = new ArrayList<>(misses.size());
                for (int i : misses) {
                    column.add(p == 0 ? firsts.get(i) : inputs.get(p).get(i));
                }
                sub.add(column);
            }
            List<? extends List<?>> result = f.apply(sub, metrics);
            int outputs = signature().outputs().size();
            boolean fits = result != null && result.size() == outputs;
            for (int o = 0; fits && o < outputs; o++) {
                fits = result.get(o) != null && result.get(o).size() == misses.size();
            }
            if (!fits) {
                throw new BatchFunctionException("function '" + name() + "' returned " + (result == null ? "null"
                        : result.size() + " outputs") + " for " + misses.size() + " records; expected " + outputs
                        + " outputs of " + misses.size() + " values each", null);
            }
            List<byte[]> missKeys = new ArrayList<>(misses.size());
            List<byte[]> values = new ArrayList<>(misses.size());
            for (int m = 0; m < misses.size(); m++) {
                Object[] row = new Object[outputs];
                for (int o = 0; o < outputs; o++) {
                    row[o] = result.get(o).get(m);
                }
                rows[misses.get(m)] = row;
                missKeys.add(keys.get(misses.get(m)));
                values.add(OutputCodec.encode(row));
            }
            try {
                store.put(missKeys, values);
            } catch (IOException e) {
                throw new BatchFunctionException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            f.close();
        }
    }
}
