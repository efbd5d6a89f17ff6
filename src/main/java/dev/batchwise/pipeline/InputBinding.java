package dev.batchwise.pipeline;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Signature;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.source.Fields;
import dev.batchwise.source.ImageRecords;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordSource.InputInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;

/**
 * Maps a function's input parameters to the columns (or JSON fields) of the records, and converts
 * each value to the parameter's type. A parameter reads the same-named column unless the input
 * mapping says otherwise. The command line and the Spark job bind their records alike through it.
 */
public final class InputBinding {

    private final String function;
    private final Signature signature;
    private final Param[] params;
    private final String[] columns;
    private final String idColumn;
    /** The kept columns, in order; empty for none. */
    private final String[] keep;

    /**
     * The binding of a run's records to its function's inputs.
     *
     * @throws FunctionStartException when an output of the function has the name of a field output
     *     lines use for their own
     * @throws SettingException when the mapping names a parameter the function does not have, or a
     *     kept column cannot be kept
     */
    static InputBinding forRun(BatchFunctionFactory factory, InputSpec input) throws FunctionStartException {
        Signature signature = factory.signature();
        for (String name : signature.outputs()) {
            if (OutputLayout.reservedNames().contains(name)) {
                throw new FunctionStartException("function '" + factory.name() + "' has an output named '" + name
                        + "', which output lines use for their own field; the function must rename it", null);
            }
        }
        checkKeep(factory.name(), signature, input.keep());
        return new InputBinding(factory.name(), signature, input.mapping(), input.idColumn(), input.keep());
    }

    /**
     * A kept column must not take the name of a field the output line has already: the id, an output
     * of the function, the error, the timing fields; nor be named twice.
     */
    private static void checkKeep(String function, Signature signature, List<String> keep) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String column : keep) {
            if (column.isEmpty()) {
                throw keep(Phrase.of("{keep}: a column name is empty; write {keep} COL,COL,..."));
            }
            if (!seen.add(column)) {
                throw keep(Phrase.of("{keep}: column '%s' is named twice", column));
            }
            if (signature.outputs().contains(column)) {
                throw keep(Phrase.of("{keep}: column '%s' has the name of an output of function '%s' (its outputs: %s); "
                        + "an output line cannot hold both", column, function, String.join(", ", signature.outputs())));
            }
            if (OutputLayout.reservedNames().contains(column)) {
                throw keep(Phrase.of("{keep}: column '%s' has the name of a field every output line has (%s); an output "
                        + "line cannot hold both", column,
                        String.join(", ", OutputLayout.reservedNames().stream().sorted().toList())));
            }
        }
    }

    private static SettingException keep(Phrase problem) {
        return new SettingException("keep", problem);
    }

    /**
     * @param mapping parameter to column, where a parameter does not read the column of its own name
     * @param idColumn the column whose value keys each output line, or {@code null} to key by sequence number
     * @param keep the columns copied into each output line
     * @throws SettingException when the mapping names a parameter the function does not have
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
            throw new SettingException("input", Phrase.of("function '%s' has no input '%s'; its inputs are: %s", function,
                    name, String.join(", ", signature.inputNames())));
        }
        this.idColumn = idColumn;
    }

    /**
     * Checks the mapping against the columns of every input whose columns are known.
     *
     * @throws SettingException for a column an input lacks, naming the input, the column and the
     *     columns it has
     */
    public void check(List<InputInfo> inputs) {
        for (InputInfo info : inputs) {
            if (!info.columns().isEmpty()) { // else an empty input, or a JSONL input whose first line is bad
                String where = info.input().name() + (info.columnsLine() > 0 ? ":" + info.columnsLine() : "");
                check(where, info.columns());
            }
        }
    }

    /**
     * Checks the mapping against the columns of one input.
     *
     * @param where the input, as messages name it ({@code FILE:LINE} where the columns come from)
     * @throws SettingException for a column it lacks, naming the column and the columns it has
     */
    public void check(String where, List<String> inputColumns) {
        for (int i = 0; i < params.length; i++) {
            if (!inputColumns.contains(columns[i]) && params[i].name().equals(ImageRecords.FIELD)) {
                throw new SettingException("input", Phrase.of("%s; '%s' is an image model: give it pictures (a "
                        + "folder, a quoted glob or image files), or read their paths from a column with {input} "
                        + "image=COLUMN", missingColumn(where, inputColumns, columns[i]), function));
            }
            if (!inputColumns.contains(columns[i])) {
                throw new SettingException("input", Phrase.of("%s; function '%s' reads input '%s' from it: choose a "
                        + "column with {input} %s=COLUMN", missingColumn(where, inputColumns, columns[i]), function,
                        params[i].name(), params[i].name()));
            }
        }
        if (idColumn != null && !inputColumns.contains(idColumn)) {
            throw new SettingException("id", Phrase.of("%s (given with {id})",
                    missingColumn(where, inputColumns, idColumn)));
        }
        for (String column : keep) {
            if (!inputColumns.contains(column)) {
                throw new SettingException("keep", Phrase.of("%s (given with {keep})",
                        missingColumn(where, inputColumns, column)));
            }
        }
    }

    /** The column each input parameter reads, in the signature's order. */
    public List<String> columns() {
        return List.of(columns);
    }

    /** {@code WHERE: unknown column 'x'; its columns are: ...}. */
    private static String missingColumn(String where, List<String> columns, String column) {
        String kind = columns.size() == 1 && columns.get(0).equals("text") ? "fields" : "columns";
        return where + ": unknown column '" + column + "'; its " + kind + " are: " + String.join(", ", columns);
    }

    /**
     * The key of an output line: the id column's value, else the sequence number; for a
     * record read from an errors file, its sequence number in the run that first failed it
     * ({@code _error.seq}), so that a record run again keeps its id. With an id column, a record
     * that could not be parsed is keyed by that column's text where it could be told apart, else
     * by {@code null}: never by its sequence number, which would give the id column two types.
     */
    public Object key(Record record) {
        if (record.isBad()) {
            if (idColumn != null) {
                return record.salvagedValue(idColumn);
            }
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
     * The values of the kept columns of a record, in order, {@code null} for a column it
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
