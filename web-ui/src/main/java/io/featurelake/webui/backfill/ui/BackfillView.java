package io.featurelake.webui.backfill.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.runs.RunEvent;
import io.featurelake.sqlcatalog.runs.RunProgress;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Actions;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.common.Format;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.sqlcatalog.security.Role;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.security.RequiresPermission;
import io.featurelake.webui.security.UiSecurity;
import java.time.LocalDate;

/**
 * Start a backfill: a view, a window, publish or not. It runs asynchronously on the gateway
 * ({@code start_backfill(..., wait => false)}); this page watches its steps until it is PUBLISHED
 * or DROPPED, reading the run's state from the catalog.
 */
@Route(value = "backfill", layout = MainLayout.class)
@RequiresPermission(value = Permission.START_BACKFILL, what = "starting backfills")
@PageTitle("Backfill · featurelake")
public class BackfillView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformCore core;
  private final transient GatewayClient gateway;
  private final ComboBox<String> view = new ComboBox<>("Feature view");
  private final DatePicker start = new DatePicker("Start date");
  private final DatePicker end = new DatePicker("End date (exclusive)");
  private final Checkbox publish = new Checkbox("Publish when the audit passes", true);
  private final Div watch = new Div();
  private Registration poll;

  public BackfillView(PlatformCore core, GatewayClient gateway) {
    this.core = core;
    this.gateway = gateway;
    setWidthFull();
    add(new H2("Backfill"));
    add(new Paragraph("Computes the window on the gateway's Spark, writes it to an audit branch, audits it and, if it "
        + "passes and publishing is on, fast-forwards main. main is never touched by a failed run."));
    view.setItems(core.featureViews().list(PageRequest.first(PageRequest.MAX_LIMIT)).items().stream()
        .map(v -> v.definition().name()).toList());
    view.setId("backfill-view");
    start.setId("backfill-start");
    end.setId("backfill-end");
    start.setValue(LocalDate.of(2023, 1, 1));
    end.setValue(LocalDate.of(2023, 1, 2));
    publish.setId("backfill-publish");
    if (!UiSecurity.current().may(Permission.PUBLISH)) {
      // An engineer starts runs for a publisher to publish (the gateway would refuse publish => true).
      publish.setValue(false);
      publish.setEnabled(false);
      publish.setLabel("Publish when the audit passes (needs role " + Role.holdersOf(Permission.PUBLISH) + ")");
    }
    Button go = new Button("Start backfill", e -> startRun());
    go.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    go.setId("backfill-start-button");
    HorizontalLayout form = new HorizontalLayout(view, start, end, publish, go);
    form.setAlignItems(Alignment.BASELINE);
    watch.setId("backfill-watch");
    watch.setWidthFull();
    add(form, watch);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    event.getLocation().getQueryParameters().getSingleParameter("view").ifPresent(view::setValue);
    event.getLocation().getQueryParameters().getSingleParameter("run").filter(s -> s.matches("\\d{1,18}"))
        .ifPresent(id -> watch(Long.parseLong(id)));
  }

  private void startRun() {
    if (view.getValue() == null) {
      Actions.error("Pick a feature view");
      return;
    }
    if (start.getValue() == null || end.getValue() == null || !start.getValue().isBefore(end.getValue())) {
      Actions.error("start_date must be before end_date, got start_date=" + start.getValue() + ", end_date=" + end.getValue());
      return;
    }
    Call call = Call.of("start_backfill").name("feature_view", view.getValue()).date("start_date", start.getValue())
        .date("end_date", end.getValue()).bool("publish", publish.getValue()).bool("wait", false);
    Actions.call(gateway, call).ifPresent(r -> {
      String id = r.first("run_id");
      if (id == null) {
        Actions.error("The gateway started no run: " + r.rows());
        return;
      }
      UI.getCurrent().getPage().getHistory().replaceState(null, "backfill?run=" + id);
      watch(Long.parseLong(id));
    });
  }

  private void watch(long runId) {
    if (poll != null) {
      poll.remove();
    }
    refresh(runId);
    UI ui = UI.getCurrent();
    ui.setPollInterval(1000);
    poll = ui.addPollListener(e -> refresh(runId));
  }

  private void refresh(long runId) {
    RunProgress p;
    try {
      p = core.runs().progress(runId);
    } catch (RuntimeException e) {
      watch.removeAll();
      watch.add(new Span(e.getMessage()));
      return;
    }
    watch.removeAll();
    Span state = Badge.of(p.state());
    state.setId("backfill-state");
    HorizontalLayout head = new HorizontalLayout(new Anchor("runs/" + runId, "run " + runId), new Span(p.featureView() + " " + p.window()),
        state, new Span(Format.orDash(p.step())), new Span(Format.duration(p.elapsed())));
    head.setAlignItems(Alignment.CENTER);
    watch.add(head);
    if (p.state().isInFlight() && !"PASSED".equals(p.state().name())
        && UiSecurity.current().mayCancel(core.runs().find(runId).map(r -> r.startedBy()).orElse(null))) {
      Button cancel = new Button("Cancel", e -> Actions.confirmThenCall("Cancel run " + runId + "?",
          "Its Spark jobs stop and main is not touched.", "Cancel run", gateway, Call.of("cancel_run").number("run_id", runId),
          r -> refresh(runId)));
      cancel.setId("backfill-cancel");
      cancel.addThemeVariants(ButtonVariant.LUMO_ERROR);
      watch.add(cancel);
    }
    Grid<RunEvent> events = new Grid<>(RunEvent.class, false);
    events.addThemeVariants(GridVariant.LUMO_COMPACT);
    events.addColumn(ev -> Format.time(ev.at())).setHeader("At").setAutoWidth(true);
    events.addComponentColumn(ev -> Badge.of(ev.toState())).setHeader("State").setAutoWidth(true);
    events.addColumn(RunEvent::message).setHeader("Step").setFlexGrow(5);
    events.setItems(core.runs().events(runId, PageRequest.first(200)).items());
    events.setAllRowsVisible(true);
    watch.add(events);
    if (!p.state().isInFlight() && poll != null) {
      poll.remove();
      poll = null;
      UI.getCurrent().setPollInterval(-1);
    }
  }
}
