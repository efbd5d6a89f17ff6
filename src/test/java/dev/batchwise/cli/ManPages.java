package dev.batchwise.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * A build step, not a test: writes one AsciiDoc man page per command ({@code batchwise.adoc},
 * {@code batchwise-run.adoc}, ...) from the command line exactly as {@link Main} configures it,
 * exit-code footers included. The build runs it before packaging the distribution and converts the
 * pages to troff for {@code man/man1}. It lives with the tests because picocli-codegen is a
 * build-time dependency only, never shipped.
 *
 * <p>Usage: {@code ManPages OUTPUT_DIR}
 */
public final class ManPages {

    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
        }
        generate(Path.of(args[0]));
    }

    /** Writes the pages into {@code dir}, creating it, replacing pages that are there. */
    static void generate(Path dir) throws IOException {
        Io io = new Io(InputStream.nullInputStream(), OutputStream.nullOutputStream(), Map.of(), false,
                Io.Signals.NONE);
        CommandLine cl = BatchwiseCommand.commandLine(io);
        Files.createDirectories(dir);
        int status = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (status != 0) {
            throw new IOException("picocli's ManPageGenerator failed with status " + status + " writing to " + dir);
        }
        try (var pages = Files.list(dir)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".adoc")).toList()) {
                Files.writeString(page, readableHeadings(Files.readString(page)));
            }
        }
    }

    private static final Pattern GROUP_HEADING = Pattern.compile("(?m)^==\\s+([^\\n(:]+?)\\s*(?:\\(([^)\\n]*)\\))?:?\\s*$");

    /** The heading picocli gives a group of options without one, which continues the section above it. */
    private static final Pattern UNTITLED_GROUP = Pattern.compile("(?m)^== Options Group\\R");

    /**
     * The man page's section headings, which man prints in capitals: the groups' help headings
     * ("Model (the default: --model minilm, sentence embeddings):") become a short title ("Model")
     * and the parenthesis a sentence under it; "Exit codes" becomes man's usual "Exit status". A group
     * the help shows under the heading above it (an empty heading) gets none.
     */
    static String readableHeadings(String adoc) {
        Matcher m = GROUP_HEADING.matcher(UNTITLED_GROUP.matcher(adoc).replaceAll(""));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String title = m.group(1).strip();
            if (title.equals("Exit codes")) {
                title = "Exit status";
            }
            String note = m.group(2) == null ? "" : "\n\n" + Character.toUpperCase(m.group(2).charAt(0))
                    + m.group(2).substring(1) + ".";
            m.appendReplacement(b, Matcher.quoteReplacement("== " + title + note));
        }
        m.appendTail(b);
        return b.toString();
    }
}
