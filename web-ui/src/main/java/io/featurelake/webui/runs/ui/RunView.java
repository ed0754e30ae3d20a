package io.featurelake.webui.runs.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.lineage.LineageRow;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.BackfillRun;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunState;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Actions;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.common.Format;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.security.UiSecurity;
import io.featurelake.webui.gateway.QueryResult;
import io.featurelake.webui.plots.FlowPlot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run: its state timeline, window, pinned inputs and definition; its audit report with the
 * distributions; its lineage from inputs to serving; and the actions its state allows.
 */
@Route(value = "runs/:runId", layout = MainLayout.class)
@PageTitle("Run · featurelake")
public class RunView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformCore core;
  private final transient GatewayClient gateway;
  private long runId;
  private RunState shownState;

  public RunView(PlatformCore core, GatewayClient gateway) {
    this.core = core;
    this.gateway = gateway;
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String id = event.getRouteParameters().get("runId").orElse("");
    if (!id.matches("\\d{1,18}")) {
      event.rerouteToError(NotFoundException.class, "'" + id + "' is not a run id (runs are numbered 1, 2, ...)");
      return;
    }
    runId = Long.parseLong(id);
    if (core.runs().find(runId).isEmpty()) {
      event.rerouteToError(NotFoundException.class, "There is no run " + runId);
      return;
    }
    render();
  }

  private void render() {
    removeAll();
    BackfillRun run = core.runs().get(runId);
    shownState = run.state();
    H2 title = new H2("Run " + run.runId() + " · " + run.featureView() + " " + run.window());
    HorizontalLayout head = new HorizontalLayout(title, Badge.of(run.state()));
    head.setAlignItems(Alignment.CENTER);
    head.setId("run-head");
    add(head, facts(run), actions(run));
    add(new H3("State timeline"), timeline(run));
    report(run).ifPresent(this::add);
    add(new H3("Lineage"), lineage(run));
    add(trainingSets(run));
    // Watch a run in flight: its state changes while this page is open.
    UI ui = UI.getCurrent();
    if (ui != null) {
      ui.setPollInterval(run.state().isInFlight() ? 1500 : -1);
      ui.addPollListener(e -> {
        if (runId == run.runId() && core.runs().find(runId).map(BackfillRun::state).orElse(null) != shownState) {
          render();
        }
      });
    }
  }

  private Component facts(BackfillRun run) {
    Div facts = new Div();
    facts.setId("run-facts");
    facts.addClassName("fl-facts");
    fact(facts, "Feature view", new Anchor("views/" + run.featureView(), run.featureView()));
    fact(facts, "Window", new Span(run.window()));
    fact(facts, "Rows written", new Span(Format.count(run.rowCount())));
    fact(facts, "Branch", new Span(Format.orDash(run.branch())));
    fact(facts, "Cut from main at", new Span(Format.orDash(run.baseSnapshotId())));
    fact(facts, "Written snapshot", new Span(Format.orDash(run.writtenSnapshotId())));
    fact(facts, "Published snapshot", run.publishedSnapshotId() == null ? new Span("—")
        : new Anchor("views/" + run.featureView() + "/history?snapshot=" + run.publishedSnapshotId(),
            run.publishedSnapshotId() + " (tag " + run.tag() + ")"));
    fact(facts, "Definition", new Anchor("views/" + run.featureView() + "?version=" + run.definitionSha256(),
        Format.shortSha(run.definitionSha256())));
    fact(facts, "Git commit", new Span(Format.orDash(run.gitCommit()) + (run.gitDirty() ? " (dirty)" : "")));
    List<String> inputs = new ArrayList<>();
    run.sourceSnapshots().forEach((t, id) -> inputs.add(t + " @ " + (id == null ? "empty" : id)));
    fact(facts, "Pinned inputs", new Span(inputs.isEmpty() ? "—" : String.join(", ", inputs)));
    fact(facts, "Started", new Span(Format.time(run.createdAt()) + " by " + run.startedBy() + " (" + run.origin() + ")"));
    fact(facts, "Published", new Span(run.publishedAt() == null ? "—" : Format.time(run.publishedAt())));
    fact(facts, "Message", new Span(Format.orDash(run.message())));
    return facts;
  }

  private static void fact(Div facts, String label, Component value) {
    Span l = new Span(label);
    l.addClassName("fl-fact-label");
    Div row = new Div(l, value);
    row.addClassName("fl-fact");
    facts.add(row);
  }

  /** The actions the run's state allows, those the user's role may take (the gateway checks again). */
  private Component actions(BackfillRun run) {
    UiSecurity security = UiSecurity.current();
    HorizontalLayout bar = new HorizontalLayout();
    bar.setId("run-actions");
    bar.setAlignItems(Alignment.BASELINE);
    switch (run.state()) {
      case PENDING, COMPUTING, AUDITING -> bar.add(!security.mayCancel(run.startedBy()) ? none() : action("Cancel", "run-cancel", "Cancel run " + run.runId() + "?",
          "Its Spark jobs stop, the run ends FAILED then DROPPED and main is not touched.",
          Call.of("cancel_run").number("run_id", run.runId()), ButtonVariant.LUMO_ERROR));
      case PASSED -> {
        bar.add(!security.may(Permission.PUBLISH) ? none() : action("Publish", "run-publish", "Publish run " + run.runId() + "?",
            "main fast-forwards to the audited snapshot and the tag " + run.tag() + " marks it.",
            Call.of("publish").number("run_id", run.runId()), ButtonVariant.LUMO_PRIMARY));
        bar.add(!security.may(Permission.REAUDIT) ? none() : action("Re-audit", "run-reaudit", "Audit run " + run.runId() + "'s branch again?",
            "The branch head is audited again with the view's current checks.",
            Call.of("audit_branch").number("run_id", run.runId()), ButtonVariant.LUMO_CONTRAST));
      }
      case FAILED -> {
        TextField reason = new TextField();
        reason.setPlaceholder("why the shift is legitimate");
        reason.setWidth("22em");
        reason.setId("run-override-reason");
        Button override = new Button("Publish anyway", e -> {
          try {
            Call c = Call.of("publish").number("run_id", run.runId()).text("override_reason", reason.getValue().strip());
            if (reason.getValue().isBlank()) {
              Actions.error("Give the reason for publishing a run that failed its audit");
              return;
            }
            Actions.confirmThenCall("Publish run " + run.runId() + " although its audit failed?",
                "The override and its reason are recorded in the run, the report, main's snapshot summary and the alerts.",
                "Publish anyway", gateway, c, r -> render());
          } catch (IllegalArgumentException ex) {
            Actions.error("override_reason " + ex.getMessage().substring(ex.getMessage().indexOf(' ') + 1));
          }
        });
        override.setId("run-override");
        override.addThemeVariants(ButtonVariant.LUMO_ERROR);
        if (security.may(Permission.PUBLISH)) {
          bar.add(reason, override);
        }
        bar.add(!security.may(Permission.DROP_RUN) ? none() : action("Drop", "run-drop", "Drop run " + run.runId() + "'s branch?", "The rows it wrote are discarded; main is not touched.",
            Call.of("drop_run").number("run_id", run.runId()), ButtonVariant.LUMO_CONTRAST));
      }
      case PUBLISHED -> {
        Button reproduce = new Button("Reproduce", e -> Actions.call(gateway, Call.of("reproduce_run").number("run_id", run.runId()))
            .ifPresent(this::showReproduction));
        reproduce.setId("run-reproduce");
        bar.add(reproduce, new Span("re-computes the run from its pinned inputs and definition and compares every partition"));
      }
      default -> bar.add(new Span("No action: the run is " + run.state()));
    }
    return bar;
  }

  /** Where an action the role may not take would be: nothing. */
  private static Span none() {
    Span s = new Span();
    s.setVisible(false);
    return s;
  }

  private Button action(String label, String id, String title, String text, Call call, ButtonVariant variant) {
    Button b = new Button(label, e -> Actions.confirmThenCall(title, text, label, gateway, call, r -> {
      Actions.info(label + ": " + (r.rows().isEmpty() ? "done" : String.join(", ", r.rows().get(0).stream().map(String::valueOf).toList())));
      render();
    }));
    b.setId(id);
    b.addThemeVariants(variant);
    return b;
  }

  private void showReproduction(QueryResult r) {
    Grid<List<String>> grid = new Grid<>();
    grid.setId("run-reproduction");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    for (int i = 0; i < r.columns().size(); i++) {
      int col = i;
      grid.addColumn(row -> row.get(col)).setHeader(r.columns().get(i)).setAutoWidth(true);
    }
    grid.setItems(r.rows());
    grid.setAllRowsVisible(true);
    addComponentAtIndex(3, grid);
  }

  private Component timeline(BackfillRun run) {
    List<RunEvent> events = core.runs().events(run.runId(), PageRequest.first(PageRequest.MAX_LIMIT)).items();
    record Step(RunEvent event, Duration took) {}
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      RunEvent e = events.get(i);
      Duration took = i + 1 < events.size() ? Duration.between(e.at(), events.get(i + 1).at())
          : run.state().isInFlight() ? Duration.between(e.at(), java.time.OffsetDateTime.now()) : null;
      steps.add(new Step(e, took));
    }
    Grid<Step> grid = new Grid<>();
    grid.setId("run-timeline");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    grid.addColumn(s -> Format.time(s.event().at())).setHeader("At").setAutoWidth(true);
    grid.addComponentColumn(s -> Badge.of(s.event().toState())).setHeader("State").setAutoWidth(true);
    grid.addColumn(s -> Format.duration(s.took())).setHeader("Took").setAutoWidth(true);
    grid.addColumn(s -> s.event().message()).setHeader("Message").setFlexGrow(5);
    grid.setItems(steps);
    grid.setAllRowsVisible(true);
    return grid;
  }

  private Optional<Component> report(BackfillRun run) {
    List<Long> reports = core.audits().reportIdsOfRun(run.runId());
    return reports.isEmpty() ? Optional.empty() : Optional.of(new AuditPanel(core.audits().report(reports.get(0))));
  }

  /** The training sets whose rows came (partly) from this run: rebuilding them depends on it. */
  private Component trainingSets(BackfillRun run) {
    List<String> names = new io.featurelake.sqlcatalog.training.TrainingSetRepository(core.database()).usingRun(run.runId());
    Span line = new Span(names.isEmpty() ? "No training set used this run's rows."
        : "Training sets built with this run's rows: " + String.join(", ", names)
            + " (CALL lake.platform.describe_training_set(name => '...') shows each manifest)");
    line.setId("run-training-sets");
    line.addClassName("fl-muted");
    return line;
  }

  private Component lineage(BackfillRun run) {
    List<LineageRow> rows = core.lineage().run(run.runId());
    List<FlowPlot.Node> inputs = new ArrayList<>();
    List<FlowPlot.Node> syncs = new ArrayList<>();
    List<String> fed = new ArrayList<>();
    for (LineageRow r : rows) {
      switch (r.section()) {
        case "input" -> inputs.add(new FlowPlot.Node(List.of(r.key(), "snapshot " + r.value()), null));
        case "online_sync" -> syncs.add(new FlowPlot.Node(List.of("online (Redis)", Format.orDash(r.value())), "online"));
        case "fed" -> fed.add(r.key() + ": " + r.value());
        default -> { }
      }
    }
    String view = run.featureView();
    List<FlowPlot.Stage> stages = new ArrayList<>();
    stages.add(new FlowPlot.Stage("inputs (pinned)", inputs));
    stages.add(new FlowPlot.Stage("run", List.of(new FlowPlot.Node(List.of("run " + run.runId(), "def " + Format.shortSha(run.definitionSha256()),
        "commit " + Format.shortSha(run.gitCommit())), "views/" + view + "?version=" + run.definitionSha256()))));
    stages.add(new FlowPlot.Stage("audit branch", run.writtenSnapshotId() == null ? List.of()
        : List.of(new FlowPlot.Node(List.of(Format.orDash(run.branch()), "snapshot " + run.writtenSnapshotId()), null))));
    stages.add(new FlowPlot.Stage("audit", run.reportId() == null ? List.of()
        : List.of(new FlowPlot.Node(List.of("report " + run.reportId(), "audited " + Format.orDash(run.auditedSnapshotId())), null))));
    stages.add(new FlowPlot.Stage("main", run.publishedSnapshotId() == null ? List.of()
        : List.of(new FlowPlot.Node(List.of("snapshot " + run.publishedSnapshotId(), "tag " + run.tag()),
            "views/" + view + "/history?snapshot=" + run.publishedSnapshotId()))));
    stages.add(new FlowPlot.Stage("serving", syncs));
    Div graph = new Div(new Html("<div>" + FlowPlot.render(stages) + "</div>"));
    graph.addClassName("fl-plot");
    graph.setId("run-lineage");
    VerticalLayout box = new VerticalLayout(graph);
    box.setPadding(false);
    for (String f : fed) {
      Span s = new Span(f);
      s.addClassName("fl-muted");
      box.add(s);
    }
    return box;
  }
}
