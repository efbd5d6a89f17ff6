package dev.batchwise.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts, drawn by JFreeChart and rendered to inline SVG by JFreeSVG. Needs no display
 * (AWT headless); text is drawn as SVG text, in the page's fonts.
 */
final class Charts {

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    private Charts() {}

    /**
     * Throughput against p99 latency: one curve per max batch size (usable points only), the Pareto
     * front dashed, unstable or failing points apart as grey rings (shown, never on a curve), the
     * SLO's limit as a vertical line, the chosen point marked.
     */
    static String throughputAgainstP99(BenchRun run, String id) {
        XYSeriesCollection data = new XYSeriesCollection();
        Map<Integer, XYSeries> byBatch = new TreeMap<>();
        for (PointResult p : run.result().points()) {
            if (!p.usable()) {
                continue;
            }
            byBatch.computeIfAbsent(p.setting().maxBatchSize(), b -> new XYSeries("max batch " + b, true, true))
                    .add(Math.max(0.01, p.latencyP99Ms()), p.objectiveRate());
        }
        byBatch.values().forEach(data::addSeries);
        XYSeries unusable = new XYSeries("unstable or failing (not chosen)", true, true);
        for (PointResult p : run.result().points()) {
            if (!p.usable() && p.records() > 0 && !p.timedOut()) {
                unusable.add(Math.max(0.01, p.latencyP99Ms()), p.objectiveRate());
            }
        }
        data.addSeries(unusable);
        XYSeries front = new XYSeries("Pareto front", true, true);
        for (PointResult p : run.result().paretoFront()) {
            front.add(Math.max(0.01, p.latencyP99Ms()), p.objectiveRate());
        }
        data.addSeries(front);
        JFreeChart chart = ChartFactory.createXYLineChart("Throughput against p99 latency", "p99 latency (ms)",
                run.rateUnit(), data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("p99 latency (ms, log scale)");
        x.setSmallestValue(0.01);
        x.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
        plot.setDomainAxis(x);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        int frontIndex = data.getSeriesCount() - 1;
        int unusableIndex = frontIndex - 1;
        r.setSeriesLinesVisible(unusableIndex, false);
        r.setSeriesPaint(unusableIndex, new Color(0x999999));
        r.setSeriesShapesFilled(unusableIndex, false);
        r.setUseOutlinePaint(false);
        r.setSeriesPaint(frontIndex, Color.BLACK);
        r.setSeriesStroke(frontIndex, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {6f, 4f}, 0f));
        r.setSeriesShapesVisible(frontIndex, false);
        plot.setRenderer(r);
        if (run.slo() != null && !Double.isNaN(run.slo().latencyLimitMs())) {
            ValueMarker slo = new ValueMarker(run.slo().latencyLimitMs(), new Color(0xC0392B), new BasicStroke(1.5f));
            slo.setLabel("SLO " + run.slo().label());
            slo.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            slo.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            slo.setLabelPaint(new Color(0xC0392B));
            plot.addDomainMarker(slo);
        }
        PointResult c = run.result().chosen();
        if (c != null) {
            XYPointerAnnotation a = new XYPointerAnnotation("chosen: " + c.setting().key(),
                    Math.max(0.01, c.latencyP99Ms()), c.objectiveRate(), Math.PI * 0.25);
            a.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            a.setTextAnchor(TextAnchor.TOP_LEFT);
            plot.addAnnotation(a);
        }
        return svg(chart, 900, 480, id);
    }

    /** Median queue wait and median compute per point, stacked, one bar per point. */
    static String queueAgainstCompute(BenchRun run, String id) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (PointResult p : run.result().points()) {
            if (p.timedOut()) {
                continue; // no figures
            }
            String label = p.setting().key() + (p.stable() ? "" : " (unstable)");
            data.addValue(p.queueP50Ms(), "queue wait p50", label);
            data.addValue(p.computeP50Ms(), "compute p50 (per call)", label);
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("Queue wait against compute, per point", null, "ms",
                data, PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = flatBars(chart, new Color(0xE67E22), new Color(0x2E86C1));
        plot.getDomainAxis().setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
        int height = Math.max(260, 110 + 20 * run.result().points().size());
        return svg(chart, 900, height, id);
    }

    /** Styles a bar chart: flat bars without shadows, its series in these colours; returns its plot. */
    private static CategoryPlot flatBars(JFreeChart chart, Color... series) {
        style(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < series.length; i++) {
            r.setSeriesPaint(i, series[i]);
        }
        return plot;
    }

    /** Calls by batch size of one point. */
    static String batchSizes(PointResult p, String title, String id) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        p.batchSizes().forEach((size, calls) -> data.addValue(calls, "calls", Integer.toString(size)));
        JFreeChart chart = ChartFactory.createBarChart(title, "batch size (records per call)", "calls", data,
                PlotOrientation.VERTICAL, false, false, false);
        CategoryPlot plot = flatBars(chart, new Color(0x27AE60));
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return svg(chart, 900, 320, id);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(TITLE);
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setBackgroundPaint(new Color(0xFAFAFA));
            xy.setDomainGridlinePaint(new Color(0xDDDDDD));
            xy.setRangeGridlinePaint(new Color(0xDDDDDD));
        } else if (chart.getPlot() instanceof CategoryPlot cp) {
            cp.setBackgroundPaint(new Color(0xFAFAFA));
            cp.setRangeGridlinePaint(new Color(0xDDDDDD));
        }
    }

    private static String svg(JFreeChart chart, int width, int height, String id) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement(id);
    }

    static List<String> ids() {
        return List.of("chart-throughput-p99", "chart-queue-compute", "chart-batch-sizes");
    }
}
