package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: Debian's chromium, headless, offline (background networking, sync
 * and component updates off), with a fresh profile. The page must load without a console message
 * (it has no script, so any is an error, such as a resource it failed to fetch), show every chart,
 * and draw a screenshot that is not blank. {@code .ci/run} installs chromium; the test skips only
 * when it is missing and that install said why ({@code BATCHWISE_TEST_PACKAGES_UNAVAILABLE}), or outside CI.
 */
class ReportBrowserTest {

    private static final long MS = 1_000_000L;

    @TempDir
    static Path dir;

    private static String chromium;

    @BeforeAll
    static void findChromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                chromium = candidate;
                return;
            }
        }
        String why = System.getenv("BATCHWISE_TEST_PACKAGES_UNAVAILABLE");
        if (why != null) {
            Assumptions.abort("chromium could not be installed: " + why);
        }
        if (System.getenv("CI") != null) {
            fail("chromium is not installed, though .ci/run installs it (apt-get install -y chromium)");
        }
        Assumptions.abort("chromium is not installed here (apt-get install chromium, or run .ci/run)");
    }

    private static BenchRun sampleRun() {
        List<PointResult> points = new ArrayList<>();
        for (int b : List.of(1, 4, 16)) {
            for (int c : List.of(1, 8, 32)) {
                double callMs = 20 + 2 * b;
                double tp = Math.min(c, b) * 1000 / callMs;
                double p99 = callMs * Math.max(1, (double) c / b);
                points.add(new PointResult(new Setting(2, b, b == 1 ? 0 : 2 * MS, new Load.Clients(c)), tp, p99 / 2,
                        p99 * 0.8, p99 * 0.9, p99, p99 * 1.3, p99 / 3, p99 / 2, callMs, callMs * 1.1, Math.min(b, c),
                        b == 1 ? Map.of(1, 300L) : Map.of(b, 200L, Math.max(1, b / 2), 40L, 1, 3L), 0.04, 0.7,
                        !(b == 16 && c == 1), 3, (long) (tp * 3), 0, List.of()));
            }
        }
        Slo slo = Slo.parse("p99=100ms");
        PointResult chosen = Choice.best(points, slo, Objective.THROUGHPUT).orElseThrow();
        Sweep.Result result = new Sweep.Result(points, Map.of(2, 1_300_000_000L), List.of(), chosen,
                Choice.paretoFront(points));
        return new BenchRun(List.of("batchwise", "bench", "--slo", "p99=100ms", "samples/sentences.txt"),
                List.of("samples/sentences.txt"), Machine.current("test", List.of("DJL 0.36.0")), "minilm",
                new PointMeter.Plan(1000 * MS, 1000 * MS, 6), slo, Objective.THROUGHPUT, 1024, result);
    }

    /** Chromium's output: standard output (a dumped DOM) and standard error (its log, console messages included). */
    private record Browser(int exitCode, String out, String log) {}

    private static Browser browse(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars"));
        command.addAll(List.of(action));
        command.add(page.toUri().toString());
        Path out = dir.resolve("chromium.out");
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within 90 s");
        }
        return new Browser(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(log, StandardCharsets.UTF_8));
    }

    private static List<String> consoleMessages(String log) {
        return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
    }

    @Test
    void theReportLoadsOfflineWithEveryChartAndNoConsoleMessage() throws Exception {
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.html(sampleRun()));
        Browser b = browse(page, "--dump-dom");
        assertEquals(0, b.exitCode(), b.log());
        assertEquals(List.of(), consoleMessages(b.log()), b.log());
        for (String id : Charts.ids()) {
            Matcher m = Pattern.compile("<svg id=\"" + id + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(b.out());
            assertTrue(m.find(), "the page shows chart " + id);
            String chart = m.group(1);
            assertTrue(chart.contains("<path") && chart.contains("<text"), id + " is drawn, with its labels");
        }
        assertTrue(b.out().contains("Pareto front"), "the legend names the front");
        assertTrue(b.out().contains("SLO p99&lt;=100ms"), "the SLO line is labelled");
        assertTrue(b.out().contains("<table id=\"points\">"));
    }

    @Test
    void aConsoleErrorWouldBeSeen() throws Exception {
        // the check above can fail: a page that logs an error shows up in chromium's log
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>console.error('broken chart')</script></body></html>");
        Browser b = browse(page, "--dump-dom");
        assertFalse(consoleMessages(b.log()).isEmpty(), b.log());
        assertTrue(String.join("\n", consoleMessages(b.log())).contains("broken chart"), b.log());
    }

    @Test
    void theScreenshotIsNotBlank() throws Exception {
        Path page = dir.resolve("report.html");
        Files.writeString(page, HtmlReport.html(sampleRun()));
        Path shot = dir.resolve("report.png");
        Browser b = browse(page, "--screenshot=" + shot, "--window-size=1100,2600");
        assertEquals(0, b.exitCode(), b.log());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1100, image.getWidth());
        long inked = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    inked++;
                }
            }
        }
        long sampled = (long) (image.getWidth() / 2) * (image.getHeight() / 2);
        assertTrue(inked > sampled / 20, "at least 5% of the page is drawn: " + inked + " of " + sampled);
        assertTrue(colours.size() > 50, "charts in colour, not a blank or one-colour page: " + colours.size());
        Path kept = Path.of("target", "report-browser-test.png");
        Files.createDirectories(kept.getParent());
        Files.copy(shot, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
