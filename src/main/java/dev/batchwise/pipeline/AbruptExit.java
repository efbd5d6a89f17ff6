package dev.batchwise.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the runs going on in this process keep when it is ended by an exit no run chose (code that is
 * not batchwise's calls {@code System.exit}): each run's output is flushed under its sink's lock, so
 * that the records written before the exit are in the partial output and the errors file for a
 * resumed run, and each run says where they are. Process-wide, as such an exit is; thread-safe.
 */
public final class AbruptExit {

    /** How long the exit waits for one sink's lock, in wall-clock milliseconds. */
    static final long FLUSH_TIMEOUT_MILLIS = 2_000;

    private static final Set<Runnable> FLUSHES = ConcurrentHashMap.newKeySet();
    private static final Set<Supplier<String>> NOTES = ConcurrentHashMap.newKeySet();

    private AbruptExit() {}

    /** Ends what {@link #flushing} or {@link #noting} started. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Flushes {@code flush} at such an exit, until the returned handle is closed. */
    static Registration flushing(Runnable flush) {
        FLUSHES.add(flush);
        return () -> FLUSHES.remove(flush);
    }

    /**
     * Says {@code note} (where a run's records are kept, and how to continue) at such an exit, after
     * the outputs are flushed, until the returned handle is closed; a note of {@code null} says nothing.
     */
    public static Registration noting(Supplier<String> note) {
        NOTES.add(note);
        return () -> NOTES.remove(note);
    }

    /**
     * Flushes every run's output, then gathers their notes; for the handler of such an exit, just
     * before the process halts.
     *
     * @return the notes, one per line
     */
    public static List<String> keepWritten() {
        for (Runnable flush : FLUSHES) {
            flush.run();
        }
        List<String> notes = new ArrayList<>();
        for (Supplier<String> note : NOTES) {
            String text = note.get();
            if (text != null) {
                notes.add(text);
            }
        }
        return notes;
    }
}
