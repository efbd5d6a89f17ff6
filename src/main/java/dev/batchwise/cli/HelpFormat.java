package dev.batchwise.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help text that wraps only at spaces. picocli wraps with the JDK's line BreakIterator, which also
 * breaks after '.' and '/', so {@code samples/tickets.jsonl} could end up as "samples/tickets." and
 * "jsonl" on two lines, and a copied path or value was broken. Here a word longer than its column
 * stays whole (the line runs over) and an example command too long for the width is split at
 * spaces with a shell line continuation ({@code \}), so it still runs as pasted.
 */
final class HelpFormat {

    /** Continuation lines of a wrapped example command are indented this much more. */
    private static final String EXAMPLE_CONTINUATION = "    ";

    private HelpFormat() {}

    /** Installs the format on {@code cl} and its subcommands. */
    static void install(CommandLine cl) {
        cl.setHelpFactory(SpacesOnlyHelp::new);
    }

    /** Lines of at most {@code width} columns, broken at spaces only; a longer word keeps a line of its own. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A footer or description line as printed within {@code width}: an indented example command
     * ({@code "  batchwise ..."}) is split with {@code " \"} continuations, its trailing comment put
     * on a line before it; any other text wraps at spaces, keeping its indent.
     */
    static List<String> render(String line, int width) {
        String indent = line.substring(0, line.length() - line.stripLeading().length());
        String body = line.strip();
        if (line.length() <= width || body.isEmpty()) {
            return List.of(line.stripTrailing());
        }
        List<String> out = new ArrayList<>();
        boolean command = !indent.isEmpty() && !body.startsWith("#");
        if (!command) {
            for (String l : wrap(body, width - indent.length())) {
                out.add(indent + l);
            }
            return out;
        }
        int comment = body.indexOf("  # ");
        if (comment > 0) {
            out.add(indent + body.substring(comment).strip());
            body = body.substring(0, comment).strip();
            if (indent.length() + body.length() <= width) {
                out.add(indent + body);
                return out;
            }
        }
        // every line but the last ends in " \", so leave room for it; an option stays with its value
        List<String> parts = wrap(keepOptionsWithValues(body),
                width - indent.length() - EXAMPLE_CONTINUATION.length() - 2);
        parts.replaceAll(p -> p.replace(NBSP, ' '));
        for (int i = 0; i < parts.size(); i++) {
            String prefix = i == 0 ? indent : indent + EXAMPLE_CONTINUATION;
            out.add(prefix + parts.get(i) + (i < parts.size() - 1 ? " \\" : ""));
        }
        return out;
    }

    private static final char NBSP = '\u00a0';

    /** Joins each {@code -o FILE} of a command with a no-break space, so wrapping keeps the pair. */
    private static String keepOptionsWithValues(String command) {
        String[] words = command.split(" +");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            b.append(words[i]);
            if (i + 1 < words.length) {
                boolean pair = words[i].startsWith("-") && !words[i].contains("=") && !words[i + 1].startsWith("-")
                        && !words[i + 1].equals("|");
                b.append(pair ? NBSP : ' ');
            }
        }
        return b.toString();
    }

    private static String renderAll(String[] lines, int width, Object... params) {
        StringBuilder b = new StringBuilder();
        for (String raw : lines) {
            String formatted = params.length == 0 && !raw.contains("%") ? raw : String.format(Locale.ROOT, raw, params);
            for (String physical : formatted.split("\\R", -1)) {
                for (String l : render(physical, width)) {
                    b.append(l).append(System.lineSeparator());
                }
            }
        }
        return b.toString();
    }

    /** picocli's help with the tables and the free text above wrapped at spaces only. */
    static final class SpacesOnlyHelp extends Help {
        SpacesOnlyHelp(CommandSpec spec, Help.ColorScheme scheme) {
            super(spec, scheme);
        }

        private int width() {
            return commandSpec().usageMessage().width();
        }

        @Override
        public String description(Object... params) {
            return renderAll(commandSpec().usageMessage().description(), width(), params);
        }

        @Override
        public String footer(Object... params) {
            return renderAll(commandSpec().usageMessage().footer(), width(), params);
        }

        @Override
        public Help.Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
                Help.ColorScheme scheme) {
            Help.Layout layout = super.createDefaultLayout(options, positionals, scheme);
            return new Help.Layout(scheme, SpacesOnlyTable.like(layout.textTable(), scheme), layout.optionRenderer(),
                    layout.parameterRenderer());
        }

        @Override
        public TextTable createTextTable(Map<?, ?> map) {
            // as picocli lays out the exit codes: the keys indented by 2, the texts 3 columns after the longest key
            int keys = map.keySet().stream().mapToInt(k -> String.valueOf(k).length()).max().orElse(0) + 5;
            SpacesOnlyTable table = new SpacesOnlyTable(colorScheme(), new Column[] {
                new Column(keys, 2, Column.Overflow.SPAN), new Column(Math.max(20, width() - keys), 0,
                        Column.Overflow.WRAP)});
            map.forEach((k, v) -> table.addRowValues(String.valueOf(k), String.valueOf(v)));
            return table;
        }
    }

    /**
     * A text table whose wrapping columns break at spaces only. Each piece is handed to picocli's
     * own cell writing already short enough, so picocli never breaks it.
     */
    static final class SpacesOnlyTable extends TextTable {
        private final Help.ColorScheme scheme;

        private SpacesOnlyTable(Help.ColorScheme scheme, Column[] columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        static SpacesOnlyTable like(TextTable model, Help.ColorScheme scheme) {
            SpacesOnlyTable t = new SpacesOnlyTable(scheme, model.columns());
            t.indentWrappedLines = model.indentWrappedLines;
            t.setAdjustLineBreaksForWideCJKCharacters(model.isAdjustLineBreaksForWideCJKCharacters());
            return t;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column[] columns = columns();
            if (value == null || columns[col].overflow != Column.Overflow.WRAP) {
                return super.putValue(row, col, value);
            }
            Column column = columns[col];
            String plain = value.plainString();
            int first = column.width - column.indent;
            if (plain.length() <= first) {
                return super.putValue(row, col, value);
            }
            int next = first - indentWrappedLines;
            Cell last = null;
            int start = 0;
            boolean firstLine = true;
            while (start < plain.length()) {
                int room = firstLine ? first : next;
                int end = breakAt(plain, start, room);
                Text piece = value.substring(start, end);
                if (!firstLine) {
                    addEmptyRow();
                    row++;
                    piece = scheme.ansi().new Text(" ".repeat(indentWrappedLines)).concat(piece);
                }
                last = super.putValue(row, col, piece);
                row = last.row;
                start = end;
                while (start < plain.length() && plain.charAt(start) == ' ') {
                    start++;
                }
                firstLine = false;
            }
            return last;
        }

        /** The end of the longest run from {@code start} that fits {@code room} and ends before a space. */
        private static int breakAt(String s, int start, int room) {
            if (s.length() - start <= room) {
                return s.length();
            }
            int limit = start + room;
            int space = s.lastIndexOf(' ', limit);
            if (space > start) {
                return space;
            }
            int after = s.indexOf(' ', limit); // one word wider than the column: keep it whole
            return after < 0 ? s.length() : after;
        }
    }
}
