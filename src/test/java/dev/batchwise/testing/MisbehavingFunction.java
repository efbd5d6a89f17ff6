package dev.batchwise.testing;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code --fn misbehave}, registered for tests only: {@code text -> out} (the text upper-cased), except
 * that a batch holding a text that contains {@code marker} breaks the way {@code mode} says:
 * {@code count} returns two output lists, {@code length} drops the last value, {@code throw} throws,
 * {@code null} returns null.
 */
public final class MisbehavingFunction implements BatchFunctionProvider {

    static final Signature SIGNATURE = new Signature(List.of(new Param("text", ParamType.TEXT, "")), List.of("out"));

    @Override
    public String name() {
        return "misbehave";
    }

    @Override
    public String description() {
        return "test double: breaks the batch contract on batches holding a marker";
    }

    @Override
    public BatchFunctionFactory configure(FnArgs args) {
        args.requireOnly(Set.of("marker", "mode"));
        String marker = args.string("marker", "BAD");
        String mode = args.string("mode", "throw");
        return BatchFunctionFactory.of("misbehave", SIGNATURE, () -> inputs -> {
            List<Object> texts = inputs.get(0);
            List<String> out = new ArrayList<>();
            boolean bad = false;
            for (Object t : texts) {
                bad |= ((String) t).contains(marker);
                out.add(((String) t).toUpperCase());
            }
            if (!bad) {
                return List.of(out);
            }
            switch (mode) {
                case "stack":
                    return List.of(List.of(recurse(texts.size())));
                case "oom":
                    return List.of(List.of(new long[Integer.MAX_VALUE - 16]));
                case "internal":
                    throw new InternalError("the JVM is broken");
                case "unwritable":
                case "cycle": {
                    List<Object> values = new ArrayList<>(out);
                    for (int i = 0; i < texts.size(); i++) {
                        if (((String) texts.get(i)).contains(marker)) {
                            if (mode.equals("cycle")) {
                                List<Object> self = new ArrayList<>();
                                self.add(self);
                                values.set(i, self);
                            } else {
                                values.set(i, new Object());
                            }
                        }
                    }
                    return List.of(values);
                }
                case "count":
                    return List.of(out, out);
                case "length":
                    return List.of(out.subList(0, out.size() - 1));
                case "null":
                    return null;
                default:
                    throw new IllegalStateException("cannot handle '" + marker + "'");
            }
        });
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }
}
