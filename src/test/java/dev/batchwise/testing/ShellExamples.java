package dev.batchwise.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The batchwise calls in a Markdown page's shell examples: fenced blocks marked {@code sh},
 * {@code bash}, {@code shell} or {@code console} (where only {@code $ } lines are commands), lines
 * joined at a trailing backslash, split at pipes and {@code &&}, {@code ||}, {@code ;}, words split as
 * a shell splits them (quotes, backslashes), environment assignments and redirections left out.
 */
public final class ShellExamples {

    /** One call: where it is and its arguments after {@code batchwise}. */
    public record Invocation(String page, int line, List<String> args) {
        @Override
        public String toString() {
            return page + ":" + line + ": batchwise " + String.join(" ", args);
        }
    }

    private ShellExamples() {}

    public static List<Invocation> batchwiseCalls(Path page) throws IOException {
        return batchwiseCalls(page.toString(), Files.readString(page));
    }

    public static List<Invocation> batchwiseCalls(String name, String text) {
        List<Invocation> calls = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String fence = null;
        boolean console = false;
        StringBuilder command = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (fence == null) {
                if (trimmed.startsWith("```")) {
                    String lang = trimmed.substring(3).strip();
                    fence = lang;
                    console = lang.equals("console");
                }
                continue;
            }
            if (trimmed.startsWith("```")) {
                fence = null;
                continue;
            }
            if (!List.of("sh", "bash", "shell", "console").contains(fence)) {
                continue;
            }
            if (command.length() == 0) {
                if (console) {
                    if (!trimmed.startsWith("$ ")) {
                        continue;
                    }
                    trimmed = trimmed.substring(2);
                }
                start = i + 1;
            }
            if (trimmed.endsWith("\\")) {
                command.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            command.append(trimmed);
            for (List<String> words : commands(command.toString())) {
                List<String> args = batchwiseArgs(words);
                if (args != null) {
                    calls.add(new Invocation(name, start, args));
                }
            }
            command.setLength(0);
        }
        return calls;
    }

    /** The arguments after batchwise, when {@code words} call it; else {@code null}. */
    private static List<String> batchwiseArgs(List<String> words) {
        int i = 0;
        while (i < words.size() && words.get(i).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            i++; // environment assignments
        }
        if (i == words.size()) {
            return null;
        }
        String cmd = words.get(i);
        if (!cmd.equals("batchwise") && !cmd.endsWith("/batchwise")) {
            return null;
        }
        List<String> args = new ArrayList<>();
        for (int j = i + 1; j < words.size(); j++) {
            String w = words.get(j);
            if (w.matches("[0-9]*(>>?|<)(&[0-9-])?")) {
                if (!w.contains("&")) {
                    j++; // its target
                }
                continue;
            }
            if (w.matches("[0-9]*(>>?|<)&?.+")) {
                continue; // 2>/dev/null, >out.jsonl, 2>&1
            }
            args.add(w);
        }
        return args;
    }

    /** The simple commands of a line, each as its words; a comment ends the line. */
    static List<List<String>> commands(String line) {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) {
                    word = new StringBuilder();
                }
                continue;
            }
            if (c == '\\' && i + 1 < line.length()) {
                if (word == null) {
                    word = new StringBuilder();
                }
                word.append(line.charAt(++i));
                continue;
            }
            if (c == '#' && word == null) {
                break;
            }
            if (Character.isWhitespace(c) || c == '|' || c == ';' || c == '&' && !(word != null
                    && word.toString().matches("[0-9]*[<>]"))) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (c == '|' || c == ';' || c == '&') {
                    if (!words.isEmpty()) {
                        out.add(words);
                    }
                    words = new ArrayList<>();
                    if (i + 1 < line.length() && (line.charAt(i + 1) == c)) {
                        i++;
                    }
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            word.append(c);
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            out.add(words);
        }
        return out;
    }
}
