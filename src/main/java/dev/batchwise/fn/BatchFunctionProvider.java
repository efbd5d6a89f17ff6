package dev.batchwise.fn;

/**
 * A named kind of batch function, found through {@link java.util.ServiceLoader}: the built-ins and
 * the functions in plugin jars given with {@code --plugin} both register this way, in
 * {@code META-INF/services/dev.batchwise.fn.BatchFunctionProvider}.
 *
 * <p>Implementations need a public no-argument constructor and must be cheap to construct: all
 * providers on the class path are instantiated to list them.
 */
public interface BatchFunctionProvider {

    /** The name users pass to {@code --fn}: lower case, words joined by '-'. */
    String name();

    /** One line for {@code batchwise models} and {@code --help}. */
    String description();

    /**
     * Validates the {@code --fn-arg} values once, before anything runs, and returns the configured
     * function.
     *
     * @throws IllegalArgumentException for an unknown or malformed argument, with a message that says
     *     which one and what is accepted; the command line reports it as a usage error
     */
    BatchFunctionFactory configure(FnArgs args);
}
