package dev.batchwise.fn;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The batch functions known by name: the built-ins and those of plugin jars, found by {@link ServiceLoader}. */
public final class FunctionRegistry {

    private final Map<String, BatchFunctionProvider> byName;

    private FunctionRegistry(Map<String, BatchFunctionProvider> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every provider visible to {@code loader}.
     *
     * @throws IllegalStateException when a provider cannot be instantiated or two share a name,
     *     naming the classes involved
     */
    public static FunctionRegistry load(ClassLoader loader) {
        Map<String, BatchFunctionProvider> byName = new TreeMap<>();
        ServiceLoader<BatchFunctionProvider> services = ServiceLoader.load(BatchFunctionProvider.class, loader);
        try {
            for (BatchFunctionProvider p : services) {
                String name;
                try {
                    name = p.name();
                } catch (RuntimeException | LinkageError e) {
                    throw new IllegalStateException("batch function " + p.getClass().getName() + " failed to say its "
                            + "name: " + e, e);
                }
                if (name == null || name.isBlank()) {
                    throw new IllegalStateException("batch function " + p.getClass().getName() + " has no name "
                            + "(its name() returned " + (name == null ? "null" : "a blank") + ")");
                }
                BatchFunctionProvider earlier = byName.putIfAbsent(name, p);
                if (earlier != null && !earlier.getClass().getName().equals(p.getClass().getName())) {
                    throw new IllegalStateException("two functions are named '" + p.name() + "': "
                            + earlier.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new IllegalStateException("cannot load a batch function: " + e.getMessage(), e);
        }
        return new FunctionRegistry(new LinkedHashMap<>(byName));
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public BatchFunctionProvider get(String name) {
        BatchFunctionProvider p = byName.get(name);
        if (p == null) {
            throw new SettingException("fn", Phrase.of("no function named '%s'%s (more come from {plugin} JAR)", name,
                    dev.batchwise.util.Suggestions.hint(name, byName.keySet(), "known")));
        }
        return p;
    }

    public Collection<BatchFunctionProvider> all() {
        return byName.values();
    }
}
