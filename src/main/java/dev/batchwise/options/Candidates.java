package dev.batchwise.options;

import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.model.BundledModel;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The values shell completion offers for options that take a name (picocli's completion
 * candidates). Enum options need none: their constants are their candidates.
 */
public final class Candidates {

    private Candidates() {}

    /** {@code --fn}: the functions on batchwise's own class path (a --plugin jar's are not known in advance). */
    public static final class Functions implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return FunctionRegistry.load(Candidates.class.getClassLoader()).all().stream()
                    .map(BatchFunctionProvider::name).iterator();
        }
    }

    /** {@code --model}: the bundled models (the completion script offers files too). */
    public static final class Models implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.of(BundledModel.values()).map(BundledModel::id).iterator();
        }
    }

    /** {@code --arrival}. */
    public static final class Arrivals implements Iterable<String> {
        static final List<String> MODES = List.of("burst", "constant", "poisson");

        @Override
        public Iterator<String> iterator() {
            return MODES.iterator();
        }
    }

    /** {@code --on-error}. */
    public static final class OnErrors implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("continue", "stop").iterator();
        }
    }
}
