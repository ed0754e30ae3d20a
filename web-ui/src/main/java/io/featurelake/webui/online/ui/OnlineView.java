package io.featurelake.webui.online.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
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
import com.vaadin.flow.shared.Registration;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.jobs.PlatformJob;
import io.featurelake.sqlcatalog.online.OnlineStatus;
import io.featurelake.sqlcatalog.online.OnlineSync;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Actions;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Call;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.console.ui.SqlConsoleView;
import io.featurelake.webui.common.Paged;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.security.UiSecurity;
import io.featurelake.webui.gateway.QueryResult;
import java.time.Duration;
import java.util.List;

/**
 * The online store per view: cursor against main's head, lag, sync history, sync and verify
 * buttons. Sync starts the sync as a job ({@code sync_online(..., wait => false)}) and returns at
 * once: a sync can take minutes and the session's one gateway connection runs one statement at a
 * time, so a waiting call would hold up every other action of the user. The page then watches the
 * job (from the catalog, like the backfill page watches a run) until it ends; {@code ?job=<id>}
 * watches one from a link.
 */
@Route(value = "online", layout = MainLayout.class)
@PageTitle("Online · featurelake")
public class OnlineView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformCore core;
  private final transient GatewayClient gateway;
  private final Div result = new Div();
  private final Div job = new Div();
  private Registration poll;
  private final Grid<OnlineStatus> status = new Grid<>(OnlineStatus.class, false);
  private final Grid<OnlineSync> syncs = Paged.grid(OnlineSync.class);

  public OnlineView(PlatformCore core, GatewayClient gateway) {
    this.core = core;
    this.gateway = gateway;
    setWidthFull();
    add(new H2("Online store"));
    status.setId("online-status");
    status.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    status.addComponentColumn(s -> new Anchor("views/" + s.featureView(), s.featureView())).setHeader("View").setAutoWidth(true)
        .setFrozen(true);
    status.addColumn(s -> Format.orDash(s.cursorSnapshotId())).setHeader("Cursor").setAutoWidth(true);
    status.addColumn(s -> Format.orDash(s.mainSnapshotId())).setHeader("main head").setAutoWidth(true);
    status.addColumn(s -> s.lagSnapshots() == null ? "—" : s.lagSnapshots() == 0 ? "in sync" : s.lagSnapshots() + " snapshots")
        .setHeader("Lag").setAutoWidth(true);
    status.addColumn(s -> s.lagSeconds() == null || Long.valueOf(0).equals(s.lagSnapshots()) ? "—"
        : Format.duration(Duration.ofSeconds(s.lagSeconds()))).setHeader("Lag (time)");
    status.addComponentColumn(s -> Badge.of(s.lastSyncStatus())).setHeader("Last sync").setAutoWidth(true);
    status.addColumn(s -> Format.time(s.lastSyncAt())).setHeader("At").setAutoWidth(true);
    // Kept in view at the right edge: on a narrow window the snapshot ids push it past the grid's width.
    status.addComponentColumn(this::buttons).setHeader("").setAutoWidth(true).setFrozenToEnd(true);
    status.setAllRowsVisible(true);
    result.setId("online-result");
    job.setId("online-job");
    job.setWidthFull();
    add(status, result, job);

    add(new H3("Sync history"));
    syncs.setId("online-syncs");
    syncs.addColumn(OnlineSync::syncId).setHeader("Sync").setAutoWidth(true);
    syncs.addColumn(OnlineSync::featureView).setHeader("View").setAutoWidth(true);
    syncs.addColumn(OnlineSync::mode).setHeader("Mode").setAutoWidth(true);
    syncs.addComponentColumn(s -> Badge.of(s.status())).setHeader("Status").setAutoWidth(true);
    syncs.addColumn(s -> Format.orDash(s.fromSnapshotId()) + " → " + s.toSnapshotId()).setHeader("Snapshots").setAutoWidth(true);
    syncs.addColumn(s -> Format.count(s.rowsRead())).setHeader("Rows read");
    syncs.addColumn(s -> Format.count(s.keysWritten())).setHeader("Keys written");
    syncs.addColumn(s -> Format.count(s.keysKeptNewer())).setHeader("Kept newer");
    syncs.addColumn(s -> Format.count(s.keysRetracted())).setHeader("Retracted");
    syncs.addColumn(s -> Format.durationMs(s.durationMs())).setHeader("Took");
    syncs.addColumn(s -> Format.time(s.startedAt())).setHeader("Started").setAutoWidth(true);
    syncs.addColumn(OnlineSync::startedBy).setHeader("By");
    syncs.addColumn(OnlineSync::message).setHeader("Message").setFlexGrow(3);
    syncs.setHeight("22em");
    Paged.bind(syncs, page -> core.syncs().syncs(null, page));
    add(syncs);
    reload();
  }

  private void reload() {
    List<String> views = core.featureViews().list(PageRequest.first(PageRequest.MAX_LIMIT)).items().stream()
        .map(v -> v.definition().name()).toList();
    status.setItems(core.syncs().statusOf(views));
    syncs.getDataProvider().refreshAll();
    // Auto widths are measured on the rows shown at the time: a sync added since (an INCREMENTAL one,
    // two snapshot ids) was cut off until they are measured again.
    syncs.recalculateColumnWidths();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    event.getLocation().getQueryParameters().getSingleParameter("job").filter(id -> id.matches("\\d{1,18}"))
        .ifPresent(id -> watch(Long.parseLong(id)));
  }

  private HorizontalLayout buttons(OnlineStatus s) {
    Button sync = new Button("Sync", e -> startSync(s.featureView()));
    sync.setId("online-sync-" + s.featureView());
    Button verify = new Button("Verify", e -> Actions.call(gateway, Call.of("verify_online").name("feature_view", s.featureView()))
        .ifPresent(r -> show("verify_online " + s.featureView(), r)));
    verify.setId("online-verify-" + s.featureView());
    UiSecurity security = UiSecurity.current();
    HorizontalLayout buttons = new HorizontalLayout();
    if (security.may(Permission.SYNC)) {
      buttons.add(sync);
    }
    if (security.may(Permission.VERIFY)) {
      buttons.add(verify);
    }
    return buttons;
  }

  /** Starts the sync as a job and watches it: the call returns as soon as the gateway recorded the job. */
  private void startSync(String featureView) {
    Actions.call(gateway, Call.of("sync_online").name("feature_view", featureView).bool("wait", false)).ifPresent(r -> {
      String id = r.first("job_id");
      if (id == null) {
        Actions.error("The gateway started no sync job: " + r.rows());
        return;
      }
      result.removeAll();
      Span started = new Span("sync_online " + featureView + " started as job " + id + ": " + r.first("message"));
      started.addClassName("fl-mono");
      result.add(started);
      UI.getCurrent().getPage().getHistory().replaceState(null, "online?job=" + id);
      watch(Long.parseLong(id));
    });
  }

  private void watch(long jobId) {
    stopWatching();
    if (refresh(jobId)) {
      UI ui = UI.getCurrent();
      ui.setPollInterval(1000);
      poll = ui.addPollListener(e -> {
        if (!refresh(jobId)) {
          stopWatching();
        }
      });
    }
  }

  /**
   * Shows the job's state, step and outcome from the catalog and refreshes the sync history; once
   * the job ended, the status grid too. Returns whether it is still in flight.
   */
  private boolean refresh(long jobId) {
    job.removeAll();
    PlatformJob j;
    try {
      j = core.jobs().get(jobId);
    } catch (RuntimeException e) {
      job.add(new Span(e.getMessage()));
      return false;
    }
    Span state = Badge.of(j.state());
    state.setId("online-job-state");
    Span step = new Span(Format.orDash(j.step()));
    step.setId("online-job-step");
    HorizontalLayout head = new HorizontalLayout(new Span("job " + j.jobId()), new Span(j.kind() + " " + j.target()), state, step,
        new Span(Format.duration(j.elapsed())));
    head.setAlignItems(Alignment.CENTER);
    job.add(head);
    if (j.result() != null || j.message() != null) {
      Span outcome = new Span(j.result() == null ? j.message() : j.message() == null ? j.result() : j.result() + ": " + j.message());
      outcome.setId("online-job-outcome");
      outcome.addClassName("fl-mono");
      job.add(outcome);
    }
    String statusCall = "CALL lake.platform.job_status(job_id => " + jobId + ")";
    Anchor follow = new Anchor(SqlConsoleView.href(statusCall), statusCall);
    follow.addClassName("fl-muted");
    job.add(new Div(follow));
    if (j.state().isInFlight()) {
      syncs.getDataProvider().refreshAll();
      return true;
    }
    reload();
    return false;
  }

  private void stopWatching() {
    if (poll != null) {
      poll.remove();
      poll = null;
      UI.getCurrent().setPollInterval(-1);
    }
  }

  private void show(String what, QueryResult r) {
    result.removeAll();
    StringBuilder text = new StringBuilder(what + ": ");
    for (int row = 0; row < r.rows().size(); row++) {
      for (int c = 0; c < r.columns().size(); c++) {
        text.append(r.columns().get(c)).append('=').append(r.rows().get(row).get(c)).append(c + 1 < r.columns().size() ? ", " : "");
      }
      text.append(row + 1 < r.rows().size() ? "; " : "");
    }
    Span s = new Span(text.toString());
    s.addClassName("fl-mono");
    result.add(s);
    reload();
  }
}
