package dev.batchwise.pipeline;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Signature;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.source.Fields;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordSource.InputInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a function's input parameters to the columns (or JSON fields) of the records, and converts
 * each value to the parameter's type. A parameter reads the same-named column unless
 * {@code --input PARAM=COLUMN} says otherwise.
 */
public final class InputBinding {

    private final String function;
    private final Signature signature;
    private final Param[] params;
    private final String[] columns;
    private final String idColumn;
    /** The {@code --keep} columns, in order; empty for none. */
    private final String[] keep;

    /**
     * The binding of a run's records to its function's inputs.
     *
     * @throws FunctionStartException when an output of the function has the name of a field output
     *     lines use for their own
     * @throws MappingException when the mapping names a parameter the function does not have
     */
    static InputBinding forRun(RunConfig config) throws FunctionStartException, MappingException {
        BatchFunctionFactory factory = config.function();
        Signature signature = factory.signature();
        for (String name : signature.outputs()) {
            if (OutputLayout.reservedNames().contains(name)) {
                throw new FunctionStartException("function '" + factory.name() + "' has an output named '" + name
                        + "', which output lines use for their own field; the function must rename it", null);
            }
        }
        checkKeep(factory.name(), signature, config.keep());
        try {
            return new InputBinding(factory.name(), signature, config.inputMapping(), config.idColumn(), config.keep());
        } catch (IllegalArgumentException e) {
            throw new MappingException(e.getMessage());
        }
    }

    /**
     * A {@code --keep} column must not take the name of a field the output line has already: the
     * id, an output of the function, the error, the timing fields; nor be named twice.
     */
    private static void checkKeep(String function, Signature signature, List<String> keep) throws MappingException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String column : keep) {
            if (column.isEmpty()) {
                throw new MappingException("--keep: a column name is empty; write --keep COL,COL,...");
            }
            if (!seen.add(column)) {
                throw new MappingException("--keep: column '" + column + "' is named twice");
            }
            if (signature.outputs().contains(column)) {
                throw new MappingException("--keep: column '" + column + "' has the name of an output of function '"
                        + function + "' (its outputs: " + String.join(", ", signature.outputs())
                        + "); an output line cannot hold both");
            }
            if (OutputLayout.reservedNames().contains(column)) {
                throw new MappingException("--keep: column '" + column + "' has the name of a field every output line "
                        + "has (" + String.join(", ", OutputLayout.reservedNames().stream().sorted().toList())
                        + "); an output line cannot hold both");
            }
        }
    }

    /**
     * @param mapping {@code --input} pairs, parameter to column
     * @param idColumn the column whose value keys each output line, or {@code null} to key by sequence number
     * @throws IllegalArgumentException when the mapping names a parameter the function does not have
     */
    public InputBinding(String function, Signature signature, Map<String, String> mapping, String idColumn) {
        this(function, signature, mapping, idColumn, List.of());
    }

    /**
     * @param keep the {@code --keep} columns, copied into each output line
     * @throws IllegalArgumentException when the mapping names a parameter the function does not have
     */
    public InputBinding(String function, Signature signature, Map<String, String> mapping, String idColumn,
            List<String> keep) {
        this.keep = keep.toArray(new String[0]);
        this.function = function;
        this.signature = signature;
        this.params = signature.inputs().toArray(new Param[0]);
        this.columns = new String[params.length];
        Map<String, String> unused = new LinkedHashMap<>(mapping);
        for (int i = 0; i < params.length; i++) {
            String mapped = unused.remove(params[i].name());
            columns[i] = mapped != null ? mapped : params[i].name();
        }
        if (!unused.isEmpty()) {
            String name = unused.keySet().iterator().next();
            throw new IllegalArgumentException("function '" + function + "' has no input '" + name + "'; its inputs are: "
                    + String.join(", ", signature.inputNames()));
        }
        this.idColumn = idColumn;
    }

    /**
     * Checks the mapping against the columns of every input whose columns are known.
     *
     * @throws IllegalArgumentException for a column an input lacks, naming the input, the column and
     *     the columns it has
     */
    public void check(List<InputInfo> inputs) {
        for (InputInfo info : inputs) {
            if (info.columns().isEmpty()) {
                continue; // empty input, or a JSONL input whose first line is bad: checked per record
            }
            for (int i = 0; i < params.length; i++) {
                if (!info.columns().contains(columns[i])) {
                    throw new IllegalArgumentException(missingColumn(info, columns[i])
                            + "; function '" + function + "' reads input '" + params[i].name() + "' from it: "
                            + "choose a column with --input " + params[i].name() + "=COLUMN");
                }
            }
            if (idColumn != null && !info.columns().contains(idColumn)) {
                throw new IllegalArgumentException(missingColumn(info, idColumn) + " (given with --id)");
            }
            for (String column : keep) {
                if (!info.columns().contains(column)) {
                    throw new IllegalArgumentException(missingColumn(info, column) + " (given with --keep)");
                }
            }
        }
    }

    /** {@code FILE:LINE: unknown column 'x'; its columns are: ...}, naming the line the columns come from. */
    private static String missingColumn(InputInfo info, String column) {
        String kind = info.columns().size() == 1 && info.columns().get(0).equals("text") ? "fields" : "columns";
        String where = info.input().name() + (info.columnsLine() > 0 ? ":" + info.columnsLine() : "");
        return where + ": unknown column '" + column + "'; its " + kind + " are: " + String.join(", ", info.columns());
    }

    /**
     * The key of an output line: the {@code --id} column's value, else the sequence number; for a
     * record read from an errors file, its sequence number in the run that first failed it
     * ({@code _error.seq}), so that a record run again keeps its id.
     */
    public Object key(Record record) {
        if (record.isBad()) {
            return record.originalSeq() != null ? record.originalSeq() : record.seq();
        }
        Object v = idColumn == null ? null : record.fields().get(idColumn);
        if (v != null) {
            return v;
        }
        Long original = record.originalSeq();
        return original != null ? original : record.seq();
    }

    /**
     * The values of the {@code --keep} columns of a record, in order, {@code null} for a column it
     * lacks (all, for a record that could not be parsed); {@code null} when no column is kept.
     */
    public Object[] kept(Record record) {
        if (keep.length == 0) {
            return null;
        }
        Object[] values = new Object[keep.length];
        if (!record.isBad()) {
            for (int i = 0; i < keep.length; i++) {
                values[i] = record.fields().get(keep[i]);
            }
        }
        return values;
    }

    /**
     * The function's arguments for one record, one per parameter, converted to the parameter types.
     *
     * @throws IllegalArgumentException with a message for the user when a column is missing or a
     *     value does not convert
     */
    public Object[] bind(Record record) {
        Fields fields = record.fields();
        if (idColumn != null && fields.get(idColumn) == null) {
            throw new IllegalArgumentException("no value in the id column '" + idColumn + "'");
        }
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Object raw = fields.get(columns[i]);
            if (raw == null) {
                List<String> names = new ArrayList<>(fields.names());
                throw new IllegalArgumentException("no field '" + columns[i] + "' (for input '" + params[i].name()
                        + "'); this record has: " + (names.isEmpty() ? "no fields" : String.join(", ", names)));
            }
            try {
                args[i] = params[i].type().convert(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + columns[i] + "': " + e.getMessage()
                        + " (input '" + params[i].name() + "' of function '" + function + "')");
            }
        }
        return args;
    }
}
