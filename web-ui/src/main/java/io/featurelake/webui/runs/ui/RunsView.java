package io.featurelake.webui.runs.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Paged;
import io.featurelake.webui.overview.ui.RunGrids;
import java.util.Arrays;

/** Every run, newest first, filtered by view and state, a page at a time. */
@Route(value = "runs", layout = MainLayout.class)
@PageTitle("Runs · featurelake")
public class RunsView extends VerticalLayout {

  private static final long serialVersionUID = 1L;

  public RunsView(PlatformCore core) {
    setSizeFull();
    add(new H2("Runs"));
    ComboBox<String> view = new ComboBox<>("Feature view");
    view.setItems(core.featureViews().list(PageRequest.first(PageRequest.MAX_LIMIT)).items().stream()
        .map(v -> v.definition().name()).toList());
    view.setClearButtonVisible(true);
    ComboBox<RunState> state = new ComboBox<>("State");
    state.setItems(Arrays.asList(RunState.values()));
    state.setClearButtonVisible(true);
    add(new HorizontalLayout(view, state));

    Grid<BackfillRun> runs = RunGrids.runs();
    runs.setId("runs-grid");
    runs.setSizeFull();
    Runnable bind = () -> Paged.bind(runs, page -> core.runs().list(view.getValue(), state.getValue(), page));
    bind.run();
    view.addValueChangeListener(e -> bind.run());
    state.addValueChangeListener(e -> bind.run());
    add(runs);
  }
}
