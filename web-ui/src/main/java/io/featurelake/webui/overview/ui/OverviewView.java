package io.featurelake.webui.overview.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.audit.AlertRepository.Alert;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.features.RegisteredFeatureView;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import io.featurelake.sqlcatalog.online.OnlineStatus;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.common.Paged;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.status.PlatformStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a platform owner checks first: every view's state, recent runs, alerts, maintenance, doors. */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Overview · featurelake")
public class OverviewView extends VerticalLayout {

  private static final long serialVersionUID = 1L;

  /** One feature view's line on the overview. */
  public record ViewSummary(String name, String owner, BackfillRun latestRun, BackfillRun lastPublish, Long rowsOnMain,
      OnlineStatus online) {}

  public OverviewView(PlatformCore core, PlatformStatus status, GatewayClient gateway) {
    setWidthFull();
    add(new H2("Overview"));
    add(doors(status, gateway, core));

    add(new H3("Feature views"));
    Grid<ViewSummary> views = Paged.grid(ViewSummary.class);
    views.setId("overview-views");
    views.addComponentColumn(v -> new Anchor("views/" + v.name(), v.name())).setHeader("View").setAutoWidth(true).setFrozen(true);
    views.addColumn(ViewSummary::owner).setHeader("Owner").setAutoWidth(true);
    views.addComponentColumn(v -> v.latestRun() == null ? new Span("no run yet") : runLink(v.latestRun()))
        .setHeader("Latest run").setAutoWidth(true);
    views.addComponentColumn(v -> v.latestRun() == null ? new Span() : Badge.of(v.latestRun().state())).setHeader("State")
        .setAutoWidth(true);
    views.addColumn(v -> v.lastPublish() == null ? "never" : Format.time(v.lastPublish().publishedAt())).setHeader("Last publish")
        .setAutoWidth(true);
    views.addColumn(v -> Format.count(v.rowsOnMain())).setHeader("Rows on main");
    views.addColumn(v -> lag(v.online())).setHeader("Online lag").setAutoWidth(true).setFlexGrow(0);
    views.addComponentColumn(v -> new Anchor("views/" + v.name() + "/history", "history")).setHeader("");
    views.setItems(summaries(core));
    views.setAllRowsVisible(true);
    add(views);

    add(new H3("Recent runs"));
    Grid<BackfillRun> runs = RunGrids.runs();
    runs.setId("overview-runs");
    runs.setHeight("20em");
    Paged.bind(runs, page -> core.runs().list(null, null, page));
    add(runs, new Anchor("runs", "all runs"));

    add(new H3("Alerts"));
    Grid<Alert> alerts = Paged.grid(Alert.class);
    alerts.setId("overview-alerts");
    alerts.addColumn(a -> Format.time(a.createdAt())).setHeader("When").setAutoWidth(true);
    alerts.addColumn(Alert::kind).setHeader("Kind").setAutoWidth(true);
    alerts.addComponentColumn(a -> a.runId() == null ? new Span() : new Anchor("runs/" + a.runId(), "run " + a.runId()))
        .setHeader("Run");
    alerts.addColumn(Alert::message).setHeader("Message").setFlexGrow(4);
    alerts.setHeight("14em");
    Paged.bind(alerts, page -> core.audits().alerts(null, page));
    add(alerts);
  }

  private Component doors(PlatformStatus status, GatewayClient gateway, PlatformCore core) {
    Div cards = new Div();
    cards.addClassName("fl-cards");
    cards.add(card("Gateway", status.gatewayUp() ? "reachable" : "down", gateway.url(), status.gatewayUp()));
    cards.add(card("Redis", status.redisUp() ? "reachable" : "down", status.redisTarget(), status.redisUp()));
    List<MaintenanceReport> last = core.maintenance().reports(null, PageRequest.first(1)).items();
    cards.add(last.isEmpty() ? card("Last maintenance", "never", "./run_maintenance.sh --days 7", true)
        : card("Last maintenance", Format.time(last.get(0).startedAt()), last.get(0).tableName()
            + (last.get(0).dryRun() ? " (dry run)" : "") + ": " + last.get(0).message(), true));
    cards.setId("overview-doors");
    return cards;
  }

  private static Div card(String title, String value, String detail, boolean ok) {
    Div card = new Div();
    card.addClassName("fl-card");
    Span v = new Span(value);
    v.addClassName(ok ? "fl-ok" : "fl-error");
    Span d = new Span(detail == null ? "" : detail);
    d.addClassName("fl-muted");
    card.add(new H3(title), v, new Div(d));
    return card;
  }

  static List<ViewSummary> summaries(PlatformCore core) {
    List<RegisteredFeatureView> views = core.featureViews().list(PageRequest.first(PageRequest.MAX_LIMIT)).items();
    Map<String, OnlineStatus> online = core.syncs().statusOf(views.stream().map(v -> v.definition().name()).toList())
        .stream().collect(Collectors.toMap(OnlineStatus::featureView, Function.identity(), (a, b) -> a));
    return views.stream().map(v -> {
      String name = v.definition().name();
      BackfillRun latest = first(core.runs().list(name, null, PageRequest.first(1)).items());
      BackfillRun published = first(core.runs().list(name, RunState.PUBLISHED, PageRequest.first(1)).items());
      Long rows = null;
      var table = io.featurelake.sqlcatalog.lake.LakeNames.featureTableName(name);
      if (core.tables().exists(table)) {
        rows = core.tableHistory().describe(table).totalRecords();
      }
      return new ViewSummary(name, v.definition().owner(), latest, published, rows, online.get(name));
    }).toList();
  }

  private static BackfillRun first(List<BackfillRun> runs) {
    return runs.isEmpty() ? null : runs.get(0);
  }

  static Anchor runLink(BackfillRun run) {
    return new Anchor("runs/" + run.runId(), "run " + run.runId() + " " + run.window());
  }

  static String lag(OnlineStatus s) {
    if (s == null || s.cursorSnapshotId() == null) {
      return s == null || s.mainSnapshotId() == null ? "not published" : "never synced";
    }
    if (s.lagSnapshots() != null && s.lagSnapshots() == 0) {
      return "in sync";
    }
    return s.lagSnapshots() + " snapshot(s), " + Format.duration(java.time.Duration.ofSeconds(s.lagSeconds() == null ? 0 : s.lagSeconds()));
  }
}
