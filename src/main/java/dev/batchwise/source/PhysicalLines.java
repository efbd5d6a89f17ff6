package dev.batchwise.source;

import dev.batchwise.util.Phrase;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The lines of an input, with a push-back so a reader can give back lines it read ahead (the CSV
 * reader does, after a quoted field that never closes).
 */
final class PhysicalLines {

    /** One line: its text, or the problem that kept it from being read. */
    record Line(long number, String text, Phrase problem) {}

    private final LineReader lines;
    private final Deque<Line> pushedBack = new ArrayDeque<>();

    PhysicalLines(LineReader lines) {
        this.lines = lines;
    }

    /** The next line, or {@code null} at the end. */
    Line next() throws IOException {
        if (!pushedBack.isEmpty()) {
            return pushedBack.pollFirst();
        }
        if (!lines.next()) {
            return null;
        }
        return lines.status() == LineReader.Status.OK
                ? new Line(lines.lineNumber(), lines.text(), null)
                : new Line(lines.lineNumber(), null, lines.problem());
    }

    /** Whether the next line is at hand without waiting for the input; see {@link LineReader#ready()}. */
    boolean ready() {
        return !pushedBack.isEmpty() || lines.ready();
    }

    /** Makes {@code toReread} the next lines returned, in their order. */
    void pushBack(List<Line> toReread) {
        for (int i = toReread.size() - 1; i >= 0; i--) {
            pushedBack.addFirst(toReread.get(i));
        }
    }

    void close() throws IOException {
        lines.close();
    }
}
