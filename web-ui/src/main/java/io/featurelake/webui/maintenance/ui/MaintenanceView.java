package io.featurelake.webui.maintenance.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.maintenance.MaintenanceReport;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Actions;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.common.Paged;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.security.UiSecurity;
import io.featurelake.webui.gateway.QueryResult;
import java.util.List;

/** Maintenance reports, and a dry run that shows what a run would do without changing anything. */
@Route(value = "maintenance", layout = MainLayout.class)
@PageTitle("Maintenance · featurelake")
public class MaintenanceView extends VerticalLayout {

  private static final long serialVersionUID = 1L;

  public MaintenanceView(PlatformCore core, GatewayClient gateway) {
    setWidthFull();
    add(new H2("Maintenance"));
    add(new Paragraph("Compaction, manifest rewrite, snapshot expiry (run tags, the sync cursor and in-flight branches are "
        + "kept), orphan files, finished runs' branches. The dry run shows the plan and changes nothing."));
    IntegerField days = new IntegerField("Expire snapshots older than (days)");
    days.setValue(7);
    days.setMin(1);
    days.setId("maintenance-days");
    Grid<List<String>> plan = new Grid<>();
    plan.setId("maintenance-plan");
    plan.addThemeVariants(GridVariant.LUMO_COMPACT);
    plan.setAllRowsVisible(true);
    plan.setVisible(false);
    Grid<MaintenanceReport> reports = Paged.grid(MaintenanceReport.class);
    Button dry = new Button("Dry run", e -> {
      if (days.getValue() == null || days.getValue() < 1) {
        Actions.error("older_than_days must be 1 or more, got " + days.getValue());
        return;
      }
      Actions.call(gateway, Call.of("run_maintenance").number("older_than_days", days.getValue()).bool("dry_run", true))
          .ifPresent(r -> {
            show(plan, r);
            reports.getDataProvider().refreshAll();
          });
    });
    dry.setId("maintenance-dry-run");
    HorizontalLayout bar = new HorizontalLayout(days, dry);
    bar.setAlignItems(Alignment.BASELINE);
    if (UiSecurity.current().may(Permission.MAINTENANCE)) {
      add(bar, plan);
    }

    add(new H3("Reports"));
    reports.setId("maintenance-reports");
    reports.addColumn(MaintenanceReport::reportId).setHeader("Report").setAutoWidth(true);
    reports.addColumn(r -> Format.time(r.startedAt())).setHeader("Started").setAutoWidth(true);
    reports.addColumn(MaintenanceReport::tableName).setHeader("Table").setAutoWidth(true);
    reports.addColumn(r -> r.dryRun() ? "dry run" : "done").setHeader("Kind");
    reports.addColumn(r -> r.dataFilesBefore() + " → " + r.dataFilesAfter()).setHeader("Data files");
    reports.addColumn(r -> Format.bytes(r.dataBytesBefore()) + " → " + Format.bytes(r.dataBytesAfter())).setHeader("Bytes").setAutoWidth(true);
    reports.addColumn(r -> r.snapshotsBefore() + " → " + r.snapshotsAfter()).setHeader("Snapshots");
    reports.addColumn(MaintenanceReport::orphansRemoved).setHeader("Orphans");
    reports.addColumn(r -> String.join(", ", r.branchesRemoved())).setHeader("Branches removed");
    reports.addColumn(r -> Format.durationMs(r.durationMs())).setHeader("Took");
    reports.addColumn(MaintenanceReport::message).setHeader("Message").setFlexGrow(3);
    reports.setHeight("24em");
    Paged.bind(reports, page -> core.maintenance().reports(null, page));
    add(reports);
  }

  private static void show(Grid<List<String>> grid, QueryResult r) {
    grid.removeAllColumns();
    for (int i = 0; i < r.columns().size(); i++) {
      int c = i;
      grid.addColumn(row -> row.get(c)).setHeader(r.columns().get(i)).setAutoWidth(true);
    }
    grid.setItems(r.rows());
    grid.setVisible(true);
  }
}
