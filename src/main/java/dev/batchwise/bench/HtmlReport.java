package dev.batchwise.bench;

import java.util.List;
import java.util.Locale;

/**
 * {@code --report FILE.html}: one self-contained page that works offline: charts inline as SVG,
 * styles inline, no script, nothing fetched. Shows the charts, the table, the chosen point's
 * settings for batchwise and the servers, the machine and the command line.
 */
public final class HtmlReport {

    private HtmlReport() {}

    public static String html(BenchRun run) {
        System.setProperty("java.awt.headless", "true");
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>batchwise bench: ").append(esc(run.function())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:24px;color:#222;max-width:1100px}\n")
                .append("h1{font-size:22px} h2{font-size:17px;margin-top:28px}\n")
                .append("table{border-collapse:collapse;font-size:12px} td,th{border:1px solid #ccc;padding:3px 6px;")
                .append("text-align:right} th{background:#f0f0f0} td.k{text-align:left;font-family:monospace;white-space:nowrap}\n")
                .append("tr.chosen{background:#e8f6e8;font-weight:bold} tr.unstable{color:#999}\n")
                .append("tr.timedout{color:#b00}\n")
                .append("pre{background:#f6f6f6;padding:8px;overflow-x:auto;font-size:12px}\n")
                .append("figure.chart{margin:12px 0} .note{color:#555;font-size:13px}\n")
                .append("</style></head><body>\n");
        b.append("<h1>batchwise bench: ").append(esc(run.function())).append("</h1>\n");
        b.append("<p id=\"kind\"><b>Sweep</b>: ").append(esc(run.kindLabel())).append(".</p>\n");
        PointResult c = run.result().chosen();
        String rules = run.offline() ? "fastest" : (run.slo() == null ? "no SLO" : "SLO " + run.slo().label())
                + ", objective " + run.objective().label();
        if (c != null) {
            b.append(String.format(Locale.ROOT, "<p><b>Chosen</b> (%s): <code>%s</code>: %.1f %s, p99 %.2f ms, "
                    + "mean batch %.2f%s.</p>%n", esc(rules), esc(c.setting().key()), c.objectiveRate(),
                    run.rateUnit(), c.latencyP99Ms(), c.meanBatchSize(), c.generation() == null
                            || !c.generation().tokenTimes() ? ""
                            : String.format(Locale.ROOT, " (running sequences), ttft p99 %.2f ms, tpot p99 %.2f ms",
                                    c.generation().ttftP99Ms(), c.generation().tpotP99Ms())));
            b.append("<pre id=\"recommendation\">").append(esc(Recommendation.sentence(run))).append("</pre>\n");
        } else {
            b.append("<p><b>No stable point meets the constraints</b> (").append(esc(rules)).append(").</p>\n");
        }
        b.append("<h2>Throughput against p99 latency</h2>\n<figure class=\"chart\" id=\"fig-throughput\">")
                .append(Charts.throughputAgainstP99(run, Charts.ids().get(0)))
                .append("<figcaption class=\"note\">One curve per max batch size (stable points only); the dashed "
                        + "line is the Pareto front; latency counts from each record's intended arrival.")
                .append("</figcaption></figure>\n");
        b.append("<h2>Queue wait against compute</h2>\n<figure class=\"chart\" id=\"fig-queue\">")
                .append(Charts.queueAgainstCompute(run, Charts.ids().get(1))).append("</figure>\n");
        PointResult shown = c != null ? c : run.result().points().stream().filter(PointResult::usable)
                .max(Objective.THROUGHPUT.better).orElse(null);
        b.append("<h2>Batch sizes of the ").append(c != null ? "chosen point" : "fastest stable point")
                .append("</h2>\n<figure class=\"chart\" id=\"fig-batches\">");
        if (shown != null) {
            b.append(Charts.batchSizes(shown, "Calls by batch size: " + shown.setting().key(), Charts.ids().get(2)));
        } else {
            b.append("<p class=\"note\">No stable point was measured.</p>");
        }
        b.append("</figure>\n");
        table(b, run);
        if (c != null) {
            b.append("<h2>The chosen setting, to deploy</h2>\n<pre>")
                    .append(esc(ServerSettings.runCommand(c, run.runArgs()))).append("</pre>\n");
            for (ServerSettings.Block block : ServerSettings.blocks(run, c)) {
                b.append("<h3>").append(esc(block.title())).append("</h3>\n<pre>").append(esc(block.text()))
                        .append("</pre>\n");
                if (!block.note().isEmpty()) {
                    b.append("<p class=\"note\">").append(esc(block.note())).append("</p>\n");
                }
            }
        }
        b.append("<h2>Machine</h2>\n<ul>\n");
        Machine m = run.machine();
        item(b, "cores: " + m.cores());
        item(b, "JVM: " + m.jvm());
        item(b, "OS: " + m.os());
        item(b, "batchwise " + m.batchwiseVersion());
        for (String e : m.engines()) {
            item(b, e.strip());
        }
        run.result().loadNanos().forEach((w, n) -> item(b, String.format(Locale.ROOT,
                "loading %d worker%s: %.2f s (once, outside the points)", w, w == 1 ? "" : "s", n / 1e9)));
        item(b, String.format(Locale.ROOT, "each point: %.1f s warm-up (discarded), then %.1f s windows, at most %d",
                run.plan().warmupNanos() / 1e9, run.plan().windowNanos() / 1e9, run.plan().maxWindows()));
        b.append("</ul>\n<h2>Command line</h2>\n<pre>").append(esc(String.join(" ",
                run.command().stream().map(ServerSettings::quote).toList()))).append("</pre>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void table(StringBuilder b, BenchRun run) {
        b.append("<h2>Points</h2>\n<table id=\"points\"><tr>");
        List<String> heads = new java.util.ArrayList<>(List.of("point", "stable", "records/s", "p50", "p90", "p95",
                "p99", "max", "queue p50", "queue p99", "compute p50", "compute p99", "mean batch", "padding", "busy",
                "windows", "failed", "Pareto"));
        if (run.generates()) {
            heads.addAll(3, List.of("output tokens/s", "ttft p50", "ttft p90", "ttft p99", "tpot p50", "tpot p99"));
            heads.set(heads.indexOf("mean batch"), "mean running");
        }
        for (String h : heads) {
            b.append("<th>").append(esc(h)).append("</th>");
        }
        b.append("</tr>\n");
        for (PointResult p : run.result().points()) {
            if (p.timedOut()) {
                b.append("<tr class=\"timedout\"><td class=\"k\">").append(esc(p.setting().key()))
                        .append("</td><td>timed out</td><td colspan=\"").append(heads.size() - 2)
                        .append("\">a call of the function did not return "
                                + "in the point's time; no figures, not chosen</td></tr>\n");
                continue;
            }
            String cls = run.isChosen(p) ? " class=\"chosen\"" : p.stable() ? "" : " class=\"unstable\"";
            b.append("<tr").append(cls).append("><td class=\"k\">").append(esc(p.setting().key())).append("</td>");
            cell(b, p.stable() ? "yes" : "no");
            cell(b, String.format(Locale.ROOT, "%.1f", p.throughputPerSecond()));
            GenerationMeasures g = p.generation();
            for (double d : g == null ? new double[0] : new double[] {g.outputTokensPerSecond(), g.ttftP50Ms(),
                g.ttftP90Ms(), g.ttftP99Ms(), g.tpotP50Ms(), g.tpotP99Ms()}) {
                cell(b, Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.2f", d));
            }
            for (double d : new double[] {p.latencyP50Ms(), p.latencyP90Ms(), p.latencyP95Ms(), p.latencyP99Ms(),
                p.latencyMaxMs(), p.queueP50Ms(), p.queueP99Ms(), p.computeP50Ms(), p.computeP99Ms()}) {
                cell(b, String.format(Locale.ROOT, "%.2f", d));
            }
            cell(b, String.format(Locale.ROOT, "%.2f", p.meanBatchSize()));
            cell(b, p.paddingShare() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * p.paddingShare()));
            cell(b, String.format(Locale.ROOT, "%.1f%%", 100 * p.busyShare()));
            cell(b, Integer.toString(p.windows()));
            cell(b, Long.toString(p.failed()));
            cell(b, run.onFront(p) ? "yes" : "");
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Latencies in milliseconds; end to end from the intended arrival; "
                + "compute per call. Unstable points (grey) did not settle within their windows and are never "
                + "chosen.</p>\n");
        if (run.result().timedOut() != null) {
            b.append("<p class=\"note\"><b>The sweep stopped early</b>: point <code>")
                    .append(esc(run.result().timedOut().setting().key())).append("</code> timed out (a call of the "
                            + "function did not return in the point's time), so the points after it were not "
                            + "measured.</p>\n");
        }
    }

    private static void cell(StringBuilder b, String v) {
        b.append("<td>").append(esc(v)).append("</td>");
    }

    private static void item(StringBuilder b, String v) {
        b.append("<li>").append(esc(v)).append("</li>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
