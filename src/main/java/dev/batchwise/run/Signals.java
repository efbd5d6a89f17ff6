package dev.batchwise.run;

import java.util.function.IntConsumer;

/** Where stop requests come from (SIGINT, SIGTERM for a command line; nothing for code). */
public interface Signals {
    /**
     * Calls {@code onStop} with the exit code the signal implies (130 or 143) at the first stop
     * request; a second request ends the process at once.
     *
     * @return how to uninstall it
     */
    AutoCloseable install(IntConsumer onStop);

    Signals NONE = onStop -> () -> {};
}
