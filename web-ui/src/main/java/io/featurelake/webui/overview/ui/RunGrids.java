package io.featurelake.webui.overview.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.common.Paged;

/** The runs grid, the same on the overview and the runs page. */
public final class RunGrids {

  private RunGrids() {}

  public static Grid<BackfillRun> runs() {
    Grid<BackfillRun> grid = Paged.grid(BackfillRun.class);
    grid.addComponentColumn(r -> new Anchor("runs/" + r.runId(), "run " + r.runId())).setHeader("Run").setAutoWidth(true);
    grid.addComponentColumn(r -> new Anchor("views/" + r.featureView(), r.featureView())).setHeader("View").setAutoWidth(true);
    grid.addColumn(BackfillRun::window).setHeader("Window").setAutoWidth(true);
    grid.addComponentColumn(r -> Badge.of(r.state())).setHeader("State").setAutoWidth(true);
    grid.addColumn(r -> Format.count(r.rowCount())).setHeader("Rows");
    grid.addColumn(r -> Format.time(r.createdAt())).setHeader("Started").setAutoWidth(true);
    grid.addColumn(BackfillRun::startedBy).setHeader("By").setAutoWidth(true);
    grid.addColumn(BackfillRun::message).setHeader("Message").setFlexGrow(3);
    return grid;
  }
}
