package dev.batchwise.testing;

import dev.batchwise.result.Result;

/** Builds results for tests of other packages. */
public final class Results {
    private Results() {}

    public static Result ok(long seq) {
        return new Result(seq, seq, new dev.batchwise.source.Origin("test", seq), new Object[] {"x"}, null, null, 0, 0, 0, 1);
    }
}
