package dev.batchwise.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of an output line: {@code id}, the input columns kept with {@code --keep}, the
 * function's outputs, {@code error} for a failed record, and with {@code --with-timing} the record's
 * timing. Names are unique across all of them (checked when the run's binding is made).
 *
 * @param keep input columns copied into each line, in order, before the outputs
 */
public record OutputLayout(List<String> outputs, boolean withTiming, List<String> keep) {

    public static final String ID = "id";
    public static final String ERROR = "error";
    public static final List<String> TIMING = List.of("queue_ms", "compute_ms", "latency_ms", "batch_size");

    public OutputLayout {
        outputs = List.copyOf(outputs);
        keep = List.copyOf(keep);
    }

    /** A layout that keeps no input column. */
    public OutputLayout(List<String> outputs, boolean withTiming) {
        this(outputs, withTiming, List.of());
    }

    /** Names a function's output must not use, as the output line has them already. */
    public static Set<String> reservedNames() {
        Set<String> names = new java.util.HashSet<>(TIMING);
        names.add(ID);
        names.add(ERROR);
        return names;
    }

    /** All column names, in order, as the CSV header has them. */
    public List<String> columns() {
        List<String> cols = new ArrayList<>();
        cols.add(ID);
        cols.addAll(keep);
        cols.addAll(outputs);
        cols.add(ERROR);
        if (withTiming) {
            cols.addAll(TIMING);
        }
        return cols;
    }
}
