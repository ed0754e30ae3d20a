package io.featurelake.webui.runs.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.featurelake.sqlcatalog.audit.AuditCheck;
import io.featurelake.sqlcatalog.audit.AuditMetric;
import io.featurelake.sqlcatalog.audit.AuditReport;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.plots.DistributionPlot;
import io.featurelake.webui.plots.QuantilePlot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's audit report: the verdict and its baseline, every check with observed value, threshold
 * and verdict, and for each numeric feature the run's distribution against the baseline.
 */
final class AuditPanel extends VerticalLayout {

  private static final long serialVersionUID = 1L;
  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2})");
  static final String BIN_SHARE = "bin_share:";

  AuditPanel(AuditReport report) {
    setPadding(false);
    setId("run-audit");
    add(new H3("Audit report " + report.reportId()));
    Div verdict = new Div(Badge.of(report.verdict()), new com.vaadin.flow.component.html.Span(
        "  " + report.checks().size() + " checks, " + report.failedChecks() + " failed; audited snapshot "
            + report.snapshotId() + "; " + Format.count(report.rowCount()) + " rows; " + baseline(report)));
    verdict.setId("run-verdict");
    add(verdict);

    Grid<AuditCheck> checks = new Grid<>(AuditCheck.class, false);
    checks.setId("run-checks");
    checks.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    checks.addComponentColumn(c -> Badge.of(verdictOf(c))).setHeader("Verdict").setAutoWidth(true);
    checks.addColumn(AuditCheck::name).setHeader("Check").setAutoWidth(true);
    checks.addColumn(AuditCheck::column).setHeader("Column").setAutoWidth(true);
    checks.addColumn(c -> Format.number(c.observed())).setHeader("Observed").setAutoWidth(true);
    checks.addColumn(c -> Format.number(c.threshold())).setHeader("Threshold").setAutoWidth(true);
    checks.addColumn(AuditCheck::detail).setHeader("Detail").setFlexGrow(4);
    List<AuditCheck> ordered = new ArrayList<>(report.checks());
    ordered.sort((a, b) -> Boolean.compare(a.passed(), b.passed()));
    checks.setItems(ordered);
    checks.setAllRowsVisible(true);
    add(checks);

    Map<String, AuditCheck> psiByColumn = new LinkedHashMap<>();
    for (AuditCheck c : report.checks()) {
      if (c.name().toLowerCase(Locale.ROOT).startsWith("psi")) {
        psiByColumn.put(c.column(), c);
      }
    }
    Div plots = new Div();
    plots.addClassNames("fl-cards", "fl-plot");
    plots.setId("run-plots");
    for (String column : numericColumns(report)) {
      AuditCheck psi = psiByColumn.get(column);
      boolean failed = psi != null && !psi.passed();
      String subtitle = psi == null ? "no PSI check"
          : "PSI " + Format.number(psi.observed()) + (psi.threshold() == null ? "" : (failed ? " > " : " <= ") + Format.number(psi.threshold()));
      String svg = plot(report, column, subtitle, failed);
      Div card = new Div(new Html("<div>" + svg + "</div>"));
      card.addClassName("fl-card");
      if (failed) {
        card.addClassName("fl-card-failed");
      }
      plots.add(card);
    }
    if (plots.getComponentCount() > 0) {
      add(new H3("Distributions against the baseline"));
      add(new Paragraph("Each numeric feature: the shares of the run's rows in the baseline's bins where the audit "
          + "recorded them, else the percentiles it measured on both sides. Failing features come first."));
      add(plots);
    }
  }

  private static String verdictOf(AuditCheck c) {
    if (c.detail() != null && c.detail().startsWith("SKIPPED")) {
      return "SKIPPED";
    }
    return c.passed() ? "PASS" : "FAIL";
  }

  static String baseline(AuditReport r) {
    if (r.baselineKind() == null || r.baselineSnapshotId() == null) {
      return "baseline: none (" + Optional.ofNullable(r.baselineKind()).orElse("first publish") + ")";
    }
    return "baseline: " + r.baselineKind() + " [" + r.baselineStart() + ", " + r.baselineEnd() + ") at snapshot "
        + r.baselineSnapshotId() + ", " + Format.count(r.baselineRowCount()) + " rows";
  }

  /** Columns with percentiles or bins on the run side, failing PSI first. */
  static List<String> numericColumns(AuditReport report) {
    Set<String> failing = new LinkedHashSet<>();
    Set<String> others = new LinkedHashSet<>();
    Set<String> failedPsi = new LinkedHashSet<>();
    for (AuditCheck c : report.checks()) {
      if (!c.passed() && c.name().toLowerCase(Locale.ROOT).startsWith("psi")) {
        failedPsi.add(c.column());
      }
    }
    for (AuditMetric m : report.metrics()) {
      if ("run".equals(m.side()) && (PERCENTILE.matcher(m.metric()).matches() || m.metric().startsWith(BIN_SHARE))) {
        (failedPsi.contains(m.column()) ? failing : others).add(m.column());
      }
    }
    List<String> out = new ArrayList<>(failing);
    others.removeAll(failing);
    out.addAll(others);
    return out;
  }

  static String plot(AuditReport report, String column, String subtitle, boolean failed) {
    Map<String, double[]> bins = new LinkedHashMap<>();
    List<QuantilePlot.Point> base = new ArrayList<>();
    List<QuantilePlot.Point> run = new ArrayList<>();
    for (AuditMetric m : report.metrics()) {
      if (!column.equals(m.column()) || m.value() == null) {
        continue;
      }
      boolean isRun = "run".equals(m.side());
      if (m.metric().startsWith(BIN_SHARE)) {
        double[] shares = bins.computeIfAbsent(m.metric().substring(BIN_SHARE.length()), k -> new double[2]);
        shares[isRun ? 1 : 0] = m.value();
        continue;
      }
      Matcher p = PERCENTILE.matcher(m.metric());
      if (p.matches()) {
        (isRun ? run : base).add(new QuantilePlot.Point(Integer.parseInt(p.group(1)), m.value()));
      }
    }
    if (!bins.isEmpty()) {
      List<DistributionPlot.Bin> list = new ArrayList<>();
      // Labels are "<index> <range>" so that they sort in bin order; the index is not shown.
      bins.forEach((label, s) -> list.add(new DistributionPlot.Bin(label.replaceFirst("^\\d+ ", ""), s[0], s[1])));
      return DistributionPlot.render(column, list, subtitle, failed);
    }
    base.sort((a, b) -> Double.compare(a.level(), b.level()));
    run.sort((a, b) -> Double.compare(a.level(), b.level()));
    return QuantilePlot.render(column, base, run, subtitle, failed);
  }
}
