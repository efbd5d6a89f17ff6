package dev.batchwise.openai;

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
            String c = REVERSED.matcher(code.group()).replaceAll("($1|reverse|list)");
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

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
