package dev.batchwise.openai;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code strftime} for the directives chat templates use (dates in system prompts), in the C
 * locale: {@code %a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %Z %%}, and the glibc forms without
 * padding ({@code %-d}, {@code %-m}, {@code %-H}, {@code %-I}, {@code %-M}, {@code %-S}, {@code %-j}).
 */
final class Strftime {

    private Strftime() {}

    /** @throws IllegalArgumentException naming a directive it does not know */
    static String format(ZonedDateTime t, String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                b.append(c);
                continue;
            }
            boolean pad = true;
            char d = format.charAt(++i);
            if (d == '-' && i + 1 < format.length()) {
                pad = false;
                d = format.charAt(++i);
            }
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            switch (d) {
                case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'b', 'h' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'd' -> b.append(num(t.getDayOfMonth(), 2, pad));
                case 'e' -> b.append(pad ? String.format("%2d", t.getDayOfMonth()) : Integer.toString(t.getDayOfMonth()));
                case 'H' -> b.append(num(t.getHour(), 2, pad));
                case 'I' -> b.append(num(hour12, 2, pad));
                case 'j' -> b.append(num(t.getDayOfYear(), 3, pad));
                case 'm' -> b.append(num(t.getMonthValue(), 2, pad));
                case 'M' -> b.append(num(t.getMinute(), 2, pad));
                case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
                case 'S' -> b.append(num(t.getSecond(), 2, pad));
                case 'y' -> b.append(num(t.getYear() % 100, 2, pad));
                case 'Y' -> b.append(t.getYear());
                case 'Z' -> b.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case '%' -> b.append('%');
                default -> throw new IllegalArgumentException("strftime_now's directive %" + (pad ? "" : "-") + d
                        + " is not supported");
            }
        }
        return b.toString();
    }

    private static String num(int n, int width, boolean pad) {
        String s = Integer.toString(n);
        return pad && s.length() < width ? "0".repeat(width - s.length()) + s : s;
    }
}
