package io.featurelake.webui.history.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.Lineage;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.tables.RefInfo;
import io.featurelake.sqlcatalog.tables.SnapshotInfo;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.console.ui.SqlConsoleView;
import io.featurelake.webui.common.Paged;
import io.featurelake.webui.plots.TimelinePlot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * main's history as a timeline with the refs on it (run tags, audit branches in flight, the sync
 * cursor), every snapshot with its provenance, one snapshot's full summary, and a link that opens
 * the SQL console on the table as of that snapshot.
 */
@Route(value = "views/:view/history", layout = MainLayout.class)
@PageTitle("Table history · featurelake")
public class TableHistoryView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;
  static final int TIMELINE_SNAPSHOTS = 24;

  private final transient PlatformCore core;

  public TableHistoryView(PlatformCore core) {
    this.core = core;
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String view = event.getRouteParameters().get("view").orElse("");
    TableName table = view.matches("[a-z_][a-z0-9_]*") ? LakeNames.featureTableName(view) : null;
    if (table == null || !core.tables().exists(table)) {
      event.rerouteToError(NotFoundException.class, "There is no feature table for '" + view + "'");
      return;
    }
    SnapshotInfo selected = null;
    String param = event.getLocation().getQueryParameters().getSingleParameter("snapshot").orElse(null);
    if (param != null) {
      try {
        selected = core.tableHistory().snapshot(table, Long.parseLong(param));
      } catch (NumberFormatException | PlatformException e) {
        event.rerouteToError(NotFoundException.class, "Table " + table.qualified() + " has no snapshot '" + param + "'");
        return;
      }
    }
    removeAll();
    add(new H2("History of " + table.qualified()));
    add(new Anchor("views/" + view, "feature view " + view));
    add(new H3("main, newest on the right"), timeline(view, table));
    if (selected != null) {
      add(new H3("Snapshot " + selected.snapshotId()), detail(table, selected));
    }
    add(new H3("Branches and tags"), refs(table));
    add(new H3("Snapshots"), snapshots(view, table));
  }

  private Component timeline(String view, TableName table) {
    List<SnapshotInfo> newest = core.tableHistory().snapshots(table, PageRequest.first(TIMELINE_SNAPSHOTS * 3)).items();
    List<TimelinePlot.Point> points = new ArrayList<>();
    for (SnapshotInfo s : newest) {
      if (s.onMain() || !s.refs().isEmpty()) {
        points.add(0, new TimelinePlot.Point(s.committedAt().toInstant(), label(s), "views/" + view + "/history?snapshot=" + s.snapshotId(),
            s.refs(), kind(s)));
      }
      if (points.size() == TIMELINE_SNAPSHOTS) {
        break;
      }
    }
    Div plot = new Div(new Html("<div>" + TimelinePlot.render(points) + "</div>"));
    plot.addClassName("fl-plot");
    plot.getStyle().set("overflow-x", "auto").set("width", "100%");
    plot.setId("history-timeline");
    return plot;
  }

  static String label(SnapshotInfo s) {
    String run = s.summary().get(Lineage.RUN_ID);
    if (run != null) {
      return "run " + run;
    }
    return "replace".equals(s.operation()) ? "compaction" : s.operation();
  }

  static TimelinePlot.Kind kind(SnapshotInfo s) {
    if (!s.onMain()) {
      return TimelinePlot.Kind.BRANCH;
    }
    if (s.summary().containsKey(Lineage.RUN_ID)) {
      return TimelinePlot.Kind.PUBLISH;
    }
    return "replace".equals(s.operation()) ? TimelinePlot.Kind.MAINTENANCE : TimelinePlot.Kind.OTHER;
  }

  private Component detail(TableName table, SnapshotInfo s) {
    VerticalLayout box = new VerticalLayout();
    box.setPadding(false);
    box.setId("history-snapshot");
    String sql = "SELECT * FROM " + table.qualified() + " VERSION AS OF " + s.snapshotId() + " LIMIT 100";
    box.add(new Anchor(SqlConsoleView.href(sql), "query as of here"));
    box.add(new Span("committed " + Format.time(s.committedAt()) + (s.madeCurrentAt() == null ? ", never current on main"
        : ", current on main from " + Format.time(s.madeCurrentAt())) + "; operation " + s.operation()
        + "; parent " + Format.orDash(s.parentId()) + "; sequence " + s.sequenceNumber()
        + (s.refs().isEmpty() ? "" : "; refs " + String.join(", ", s.refs()))));
    record Entry(String key, String value) {}
    List<Entry> entries = new ArrayList<>();
    new TreeMap<>(s.summary()).forEach((k, v) -> entries.add(new Entry(k, v)));
    Grid<Entry> grid = new Grid<>();
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    grid.addColumn(Entry::key).setHeader("Summary key").setAutoWidth(true);
    grid.addColumn(Entry::value).setHeader("Value").setFlexGrow(3);
    grid.setItems(entries);
    grid.setAllRowsVisible(true);
    box.add(grid);
    return box;
  }

  private Component refs(TableName table) {
    Grid<RefInfo> grid = new Grid<>(RefInfo.class, false);
    grid.setId("history-refs");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    grid.addColumn(RefInfo::name).setHeader("Ref").setAutoWidth(true);
    grid.addColumn(RefInfo::type).setHeader("Type");
    grid.addColumn(TableHistoryView::meaning).setHeader("What it is").setAutoWidth(true);
    grid.addColumn(RefInfo::snapshotId).setHeader("Snapshot").setAutoWidth(true);
    grid.addColumn(r -> r.maxRefAgeMs() == null ? "kept" : Format.durationMs(r.maxRefAgeMs())).setHeader("Kept for");
    grid.setItems(core.tableHistory().refs(table));
    grid.setAllRowsVisible(true);
    return grid;
  }

  static String meaning(RefInfo r) {
    if (r.name().equals("main")) {
      return "published data";
    }
    if (r.name().equals(LakeNames.SYNC_CURSOR_TAG)) {
      return "what the online store last synced";
    }
    if (r.name().startsWith(LakeNames.RUN_TAG_PREFIX)) {
      return "published by run " + r.name().substring(LakeNames.RUN_TAG_PREFIX.length());
    }
    if (r.name().startsWith(LakeNames.AUDIT_BRANCH_PREFIX)) {
      return "audit branch of run " + r.name().substring(LakeNames.AUDIT_BRANCH_PREFIX.length()) + " (unpublished)";
    }
    return r.isBranch() ? "branch" : "tag";
  }

  private Component snapshots(String view, TableName table) {
    Grid<SnapshotInfo> grid = Paged.grid(SnapshotInfo.class);
    grid.setId("history-snapshots");
    grid.addComponentColumn(s -> new Anchor("views/" + view + "/history?snapshot=" + s.snapshotId(), String.valueOf(s.snapshotId())))
        .setHeader("Snapshot").setAutoWidth(true);
    grid.addColumn(s -> s.onMain() ? "main" : "branch").setHeader("On");
    grid.addColumn(SnapshotInfo::operation).setHeader("Operation");
    grid.addComponentColumn(s -> {
      String run = s.summary().get(Lineage.RUN_ID);
      return run == null ? new Span() : new Anchor("runs/" + run, "run " + run);
    }).setHeader("Run");
    grid.addColumn(s -> Format.shortSha(s.summary().get(Lineage.GIT_COMMIT))).setHeader("Git commit");
    grid.addComponentColumn(s -> {
      String report = s.summary().get(Lineage.AUDIT_REPORT_ID);
      String run = s.summary().get(Lineage.RUN_ID);
      return report == null || run == null ? new Span() : new Anchor("runs/" + run, "report " + report);
    }).setHeader("Audit");
    grid.addColumn(s -> rows(s.summary())).setHeader("Rows +/-").setAutoWidth(true);
    grid.addColumn(s -> Format.time(s.committedAt())).setHeader("Committed").setAutoWidth(true);
    grid.addColumn(s -> Format.time(s.madeCurrentAt())).setHeader("Published").setAutoWidth(true);
    grid.addColumn(s -> String.join(", ", s.refs())).setHeader("Refs").setAutoWidth(true);
    grid.setHeight("24em");
    Paged.bind(grid, page -> core.tableHistory().snapshots(table, page));
    return grid;
  }

  static String rows(Map<String, String> summary) {
    return "+" + summary.getOrDefault("added-records", "0") + " / -" + summary.getOrDefault("deleted-records", "0");
  }
}
