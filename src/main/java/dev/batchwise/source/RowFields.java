package dev.batchwise.source;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The fields of a CSV or TSV row: values by position, named by the shared header. */
final class RowFields implements Fields {

    /** The column names of one input, shared by all its rows. */
    static final class Header {
        final List<String> names;
        private final Map<String, Integer> index;

        Header(List<String> names) {
            this.names = List.copyOf(names);
            this.index = new HashMap<>(names.size() * 2);
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
        }

        int indexOf(String name) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }

        int size() {
            return names.size();
        }
    }

    private final Header header;
    private final String[] values;

    RowFields(Header header, String[] values) {
        this.header = header;
        this.values = values;
    }

    @Override
    public Object get(String name) {
        int i = header.indexOf(name);
        return i >= 0 && i < values.length ? values[i] : null;
    }

    @Override
    public List<String> names() {
        return header.names.subList(0, Math.min(header.size(), values.length));
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
