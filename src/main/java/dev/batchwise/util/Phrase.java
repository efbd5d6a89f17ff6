package dev.batchwise.util;

import java.util.Arrays;

/**
 * Text for the user that may name settings of a run, which each front end names its own way: a
 * command line by its flags, the Java API by the settings' keys. A setting is written in the template
 * as its key in braces, the long option name without its dashes: {@code {max-batch-size}} renders as
 * the front end's usual name for it ({@code --max-batch-size}), {@code {max-batch-size*}} as all its
 * names ({@code -b/--max-batch-size}), {@code {output<}} as its shortest ({@code -o}). Values go in as
 * {@code %s}, after the settings are named, so that no value the user gave can read as a setting; a
 * value that is itself a phrase is rendered with the same names. Immutable.
 */
public final class Phrase {

    /** How a setting is named in a rendered phrase. */
    public enum Form {
        /** The usual name: a command line's long option. */
        USUAL,
        /** Every name, as {@code -b/--max-batch-size}. */
        ALL,
        /** The shortest name, as {@code -o}. */
        SHORT
    }

    /** How a front end names the settings of a run. */
    public interface Names {
        /** The name of setting {@code key} in {@code form}. */
        String name(String key, Form form);
    }

    /** The settings by their keys, as code that builds a run spec names them. */
    public static final Names KEYS = (key, form) -> key;

    private final String template;
    private final Object[] values;

    private Phrase(String template, Object[] values) {
        this.template = template;
        this.values = values;
    }

    /**
     * @param template the text, with settings as {@code {key}} and values as {@code %s}
     * @param values as many as the template has {@code %s}
     */
    public static Phrase of(String template, Object... values) {
        return new Phrase(template, values.clone());
    }

    /** A phrase that names no setting and holds no value. */
    public static Phrase text(String text) {
        return new Phrase(text.replace("%", "%%").replace("{", "{{"), new Object[0]);
    }

    /** This phrase followed by {@code more}. */
    public Phrase then(Phrase more) {
        Object[] all = Arrays.copyOf(values, values.length + more.values.length);
        System.arraycopy(more.values, 0, all, values.length, more.values.length);
        return new Phrase(template + more.template, all);
    }

    /** The text, with each setting named as {@code names} names it. */
    public String render(Names names) {
        StringBuilder b = new StringBuilder(template.length() + 32);
        int value = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            char next = i + 1 < template.length() ? template.charAt(i + 1) : 0;
            if (c == '{' && next == '{') {
                b.append('{');
                i++;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                String key = template.substring(i + 1, end);
                Form form = key.endsWith("*") ? Form.ALL : key.endsWith("<") ? Form.SHORT : Form.USUAL;
                b.append(names.name(form == Form.USUAL ? key : key.substring(0, key.length() - 1), form));
                i = end;
            } else if (c == '%' && next == '%') {
                b.append('%');
                i++;
            } else if (c == '%' && next == 's') {
                Object v = values[value++];
                b.append(v instanceof Phrase p ? p.render(names) : v);
                i++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The text with the settings named by their keys. */
    @Override
    public String toString() {
        return render(KEYS);
    }
}
