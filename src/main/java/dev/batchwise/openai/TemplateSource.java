package dev.batchwise.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chat template's source needs before jinjava compiles it, so that it renders as Jinja2 renders
 * it under Hugging Face's settings, or is refused with the construct named:
 *
 * <ul>
 *   <li>one trailing newline is dropped, as Jinja2 drops it ({@code keep_trailing_newline=False});
 *   <li>{@code X[::-1]} (Python's reversed copy, which jinjava's parser does not know) becomes
 *       {@code (X|reverse|list)}, inside tags and expressions only;
 *   <li>a keyword argument's value is put in parentheses ({@code namespace(n=messages|length - 1)}
 *       becomes {@code namespace(n=(messages|length - 1))}): jinjava binds {@code n=messages|length}
 *       first and then fails to subtract;
 *   <li>any other slice with a step, and a loop filter ({@code for x in y if z}), which jinjava would
 *       misread or ignore, are refused.
 * </ul>
 */
final class TemplateSource {

    /** A tag or an expression: {@code {% ... %}} or {@code {{ ... }}}, with its whitespace controls. */
    private static final Pattern CODE = Pattern.compile("\\{%.*?%\\}|\\{\\{.*?\\}\\}", Pattern.DOTALL);
    /** An operand followed by {@code [::-1]}: a name with attributes, calls and subscripts. */
    private static final Pattern REVERSED = Pattern.compile(
            "([A-Za-z_][A-Za-z_0-9]*(?:\\.[A-Za-z_][A-Za-z_0-9]*|\\[[^\\[\\]]*\\]|\\([^()]*\\))*)\\[\\s*:\\s*:\\s*-1\\s*\\]");
    private static final Pattern STEP_SLICE = Pattern.compile("\\[[^\\[\\]'\"]*:[^\\[\\]'\"]*:[^\\[\\]'\"]*\\]");
    private static final Pattern LOOP_FILTER = Pattern.compile(
            "\\{%-?\\s*for\\s+[A-Za-z_][\\w\\s,]*\\s+in\\s+(?:(?!%\\}).)*?\\sif\\s(?:(?!%\\}).)*%\\}", Pattern.DOTALL);
    /** A loop over a message's content ({@code for x in message['content']} or {@code ...message.content}). */
    private static final Pattern LOOP_OVER_CONTENT = Pattern.compile(
            "\\{%-?\\s*for\\s+[\\w\\s,]+\\s+in\\s+[^%]*?(?:\\.content|\\[\\s*['\"]content['\"]\\s*\\])\\s*(?:\\|[^%]*)?-?%\\}");

    private TemplateSource() {}

    /** @throws ChatTemplateException naming a construct batchwise cannot render faithfully */
    static String prepare(String source) throws ChatTemplateException {
        String s = source;
        if (s.endsWith("\r\n")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("\n") || s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        Matcher filter = LOOP_FILTER.matcher(s);
        if (filter.find()) {
            throw new ChatTemplateException("the chat template filters a loop (" + shorten(filter.group())
                    + "), which batchwise's Jinja engine does not support");
        }
        StringBuilder out = new StringBuilder(s.length());
        Matcher code = CODE.matcher(s);
        int last = 0;
        while (code.find()) {
            out.append(s, last, code.start());
            String c = wrapKeywordArguments(REVERSED.matcher(code.group()).replaceAll("($1|reverse|list)"));
            Matcher step = STEP_SLICE.matcher(c);
            if (step.find()) {
                throw new ChatTemplateException("the chat template slices with a step (" + step.group()
                        + "), which batchwise's Jinja engine supports only as [::-1]");
            }
            out.append(c);
            last = code.end();
        }
        return out.append(s.substring(last)).toString();
    }

    /**
     * Whether the template iterates over a message's content, and so takes content as OpenAI gives it (a
     * list of parts); templates that do not are given each content as one string, its text parts joined
     * with a newline. vLLM decides the same way, from the template's syntax tree.
     */
    static boolean loopsOverContent(String source) {
        return LOOP_OVER_CONTENT.matcher(source).find();
    }

    private static final Pattern KEYWORD = Pattern.compile("^(\\s*[A-Za-z_][A-Za-z_0-9]*\\s*=)(?!=)(.*)$", Pattern.DOTALL);

    /** Puts the value of every keyword argument of every call in {@code code} in parentheses. */
    static String wrapKeywordArguments(String code) {
        StringBuilder out = new StringBuilder(code.length() + 8);
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(code, i);
                out.append(code, i, end);
                i = end;
            } else if (c == '(' && i > 0 && (Character.isJavaIdentifierPart(code.charAt(i - 1)))) {
                int close = matching(code, i);
                if (close < 0) {
                    return code;
                }
                out.append('(');
                List<String> args = splitTopLevel(code.substring(i + 1, close));
                for (int a = 0; a < args.size(); a++) {
                    if (a > 0) {
                        out.append(',');
                    }
                    Matcher kw = KEYWORD.matcher(args.get(a));
                    String arg = args.get(a);
                    if (kw.matches() && !kw.group(2).isBlank()) {
                        out.append(kw.group(1)).append('(').append(wrapKeywordArguments(kw.group(2))).append(')');
                    } else {
                        out.append(wrapKeywordArguments(arg));
                    }
                }
                out.append(')');
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int endOfString(String s, int from) {
        char quote = s.charAt(from);
        int i = from + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** The index of the bracket that closes the one at {@code open}, or -1. */
    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i) - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(args, i) - 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i));
                start = i + 1;
            }
        }
        out.add(args.substring(start));
        return out;
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
