package io.featurelake.webui.lineage.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.lineage.LineageRow;
import io.featurelake.sqlcatalog.lineage.PartitionEvent;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Format;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Pick a table and a day: every snapshot that wrote that partition (runs, compactions, writes
 * outside the platform), the run that produced what main holds now, its pinned inputs, and the
 * syncs that carried it to Redis.
 */
@Route(value = "lineage", layout = MainLayout.class)
@PageTitle("Lineage · featurelake")
public class LineageView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformCore core;
  private final ComboBox<String> table = new ComboBox<>("Feature view");
  private final DatePicker day = new DatePicker("Day");
  private final VerticalLayout answer = new VerticalLayout();

  public LineageView(PlatformCore core) {
    this.core = core;
    setWidthFull();
    add(new H2("Lineage of a partition"));
    table.setItems(core.featureViews().list(PageRequest.first(PageRequest.MAX_LIMIT)).items().stream()
        .map(v -> v.definition().name()).toList());
    table.setId("lineage-table");
    day.setId("lineage-day");
    Button show = new Button("Show", e -> {
      if (table.getValue() != null && day.getValue() != null) {
        UI.getCurrent().navigate("lineage", io.featurelake.webui.common.QueryParams.of("table", table.getValue(), "day",
            day.getValue().toString()));
      }
    });
    show.setId("lineage-show");
    HorizontalLayout form = new HorizontalLayout(table, day, show);
    form.setAlignItems(Alignment.BASELINE);
    answer.setPadding(false);
    answer.setId("lineage-answer");
    add(form, answer);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    var params = event.getLocation().getQueryParameters();
    String t = params.getSingleParameter("table").orElse(null);
    String d = params.getSingleParameter("day").orElse(null);
    answer.removeAll();
    if (t == null) {
      return;
    }
    table.setValue(t);
    if (d == null) {
      answer.add(new Span("Pick a day of " + t + "."));
      return;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(d);
    } catch (DateTimeParseException e) {
      answer.add(error("day must be a date like 2023-01-01, got '" + d + "'"));
      return;
    }
    day.setValue(date);
    List<PartitionEvent> events;
    try {
      events = core.lineage().partition(io.featurelake.sqlcatalog.lake.LakeNames.FEATURES_NAMESPACE + "." + t, date);
    } catch (PlatformException | IllegalArgumentException e) {
      answer.add(error(e.getMessage()));
      return;
    }
    answer.add(new H3(t + " on " + date));
    if (events.isEmpty()) {
      answer.add(new Span("No snapshot of main ever wrote this day."));
      return;
    }
    Grid<PartitionEvent> grid = new Grid<>(PartitionEvent.class, false);
    grid.setId("lineage-events");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    grid.addColumn(ev -> Format.timeMillis(ev.committedAtMillis())).setHeader("Committed").setAutoWidth(true);
    grid.addComponentColumn(ev -> new Anchor("views/" + t + "/history?snapshot=" + ev.snapshotId(), String.valueOf(ev.snapshotId())))
        .setHeader("Snapshot").setAutoWidth(true);
    grid.addColumn(ev -> ev.writer().name()).setHeader("Writer");
    grid.addComponentColumn(ev -> ev.runId() == null ? new Span() : new Anchor("runs/" + ev.runId(), "run " + ev.runId())).setHeader("Run");
    grid.addColumn(ev -> "+" + ev.addedFiles() + " / -" + ev.removedFiles()).setHeader("Files");
    grid.addColumn(PartitionEvent::describe).setHeader("What").setFlexGrow(3);
    grid.setItems(events);
    grid.setAllRowsVisible(true);
    answer.add(grid);

    PartitionEvent producer = null;
    for (PartitionEvent ev : events) {
      if (ev.producesData()) {
        producer = ev;
      }
    }
    if (producer == null || producer.runId() == null) {
      answer.add(new Span(producer == null ? "Only compactions touched it." : "Its current rows came from " + producer.describe() + "."));
      return;
    }
    long runId = producer.runId();
    answer.add(new H3("Produced by run " + runId), new Anchor("runs/" + runId, "open run " + runId));
    Div facts = new Div();
    facts.addClassName("fl-facts");
    for (LineageRow r : core.lineage().run(runId)) {
      if (List.of("input", "definition", "online_sync").contains(r.section()) && !"definition_text".equals(r.key())) {
        Span l = new Span(r.section() + " · " + r.key());
        l.addClassName("fl-fact-label");
        Div row = new Div(l, new Span(Format.orDash(r.value())));
        row.addClassName("fl-fact");
        facts.add(row);
      }
    }
    facts.setId("lineage-producer");
    answer.add(facts);
  }

  private static Span error(String message) {
    Span s = new Span(message);
    s.addClassName("fl-error");
    return s;
  }
}
