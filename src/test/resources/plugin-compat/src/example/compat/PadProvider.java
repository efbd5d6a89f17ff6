package example.compat;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A plugin compiled once against the function SPI as it was (compat-plugin.jar, built with javac
 * --release 17 against batchwise 0.1.0 at d4241a6), to show that jars built then keep working: it uses
 * every type of the SPI. "compat-pad": text, width -> the text padded with a fill character to width,
 * and its length.
 */
public final class PadProvider implements BatchFunctionProvider {

    static final Signature SIGNATURE = new Signature(
            List.of(new Param("text", ParamType.TEXT, "the text"), new Param("width", ParamType.INTEGER, "the width")),
            List.of("padded", "length"));

    @Override
    public String name() {
        return "compat-pad";
    }

    @Override
    public String description() {
        return "text, width -> padded, length (SPI compatibility)";
    }

    @Override
    public BatchFunctionFactory configure(FnArgs args) {
        args.requireOnly(Set.of("fill", "limit", "pause"));
        String fill = args.string("fill", ".");
        int limit = args.integer("limit", 80, 1, 1000);
        Duration pause = args.duration("pause", Duration.ZERO);
        return new BatchFunctionFactory() {
            @Override
            public String name() {
                return "compat-pad";
            }

            @Override
            public Signature signature() {
                return SIGNATURE;
            }

            @Override
            public BatchFunction create() {
                return new Pad(fill, limit, pause);
            }
        };
    }

    static final class Pad implements BatchFunction {
        private final String fill;
        private final int limit;
        private final Duration pause;

        Pad(String fill, int limit, Duration pause) {
            this.fill = fill;
            this.limit = limit;
            this.pause = pause;
        }

        @Override
        public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
            return apply(inputs, CallMetrics.NONE);
        }

        @Override
        public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
            long start = System.nanoTime();
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
            List<String> padded = new ArrayList<>();
            List<Long> lengths = new ArrayList<>();
            for (int i = 0; i < inputs.get(0).size(); i++) {
                StringBuilder b = new StringBuilder((String) inputs.get(0).get(i));
                long width = Math.min(limit, (Long) inputs.get(1).get(i));
                while (b.length() < width) {
                    b.append(fill);
                }
                padded.add(b.toString());
                lengths.add((long) b.length());
            }
            metrics.phase("pad", System.nanoTime() - start);
            metrics.tokens(padded.size(), padded.size());
            metrics.truncated(0);
            return List.of(padded, lengths);
        }

        @Override
        public void close() {}
    }
}
