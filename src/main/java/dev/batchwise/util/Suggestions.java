package dev.batchwise.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ...": the known names closest to what was typed, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours each cost 1, case ignored), closest first;
 * ties keep the candidates' own order. A name counts as close when at most a third of it (at least
 * 1, at most 3 edits) differs, or when one of the two names starts with the other, as a
 * shortened option does.
 */
public final class Suggestions {

    /** The most names a suggestion lists. */
    static final int MOST = 3;

    private Suggestions() {}

    /** Up to three close candidates, closest first; empty when none is close. */
    public static List<String> closest(String typed, Collection<String> candidates) {
        record Scored(String name, int distance, int order) {}
        String t = typed.toLowerCase(Locale.ROOT);
        List<Scored> close = new ArrayList<>();
        int order = 0;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(t, lc);
            int allowed = Math.min(3, Math.max(1, Math.max(t.length(), lc.length()) / 3));
            boolean prefix = t.length() >= 3 && (lc.startsWith(t) || t.startsWith(lc));
            if (d > 0 && (d <= allowed || prefix) && close.stream().noneMatch(s -> s.name.equals(c))) {
                close.add(new Scored(c, d, order));
            }
            order++;
        }
        close.sort(Comparator.comparingInt(Scored::distance).thenComparingInt(Scored::order));
        return close.stream().limit(MOST).map(Scored::name).toList();
    }

    /** "; did you mean 'a'?" (or "'a' or 'b'"), or "" when nothing is close. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        List<String> close = closest(typed, candidates);
        if (close.isEmpty()) {
            return "";
        }
        return "; did you mean " + String.join(" or ", close.stream().map(c -> "'" + c + "'").toList()) + "?";
    }

    /**
     * The end of an "unknown name" message: {@code "; did you mean 'a'? Known: a, b"}, or
     * {@code "; known: a, b"} when nothing is close. {@code known} names the list, e.g. "known".
     */
    public static String hint(String typed, Collection<String> candidates, String known) {
        String list = String.join(", ", candidates);
        String dym = didYouMean(typed, candidates);
        return dym.isEmpty() ? "; " + known + ": " + list
                : dym + " " + Character.toUpperCase(known.charAt(0)) + known.substring(1) + ": " + list;
    }

    /** The optimal-string-alignment distance: Levenshtein plus swaps of adjacent characters. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
