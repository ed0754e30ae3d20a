package io.featurelake.webui.console.ui;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.gateway.GatewayException;
import io.featurelake.webui.gateway.QueryResult;
import io.featurelake.webui.security.UiSecurity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A query box run through the gateway (the same door as DBeaver), results in a grid capped by a
 * row limit, the gateway's one-line error on failure, a time-travel picker, and this browser
 * session's recent queries. {@code console?sql=...} opens it with a statement filled in.
 */
@Route(value = "console", layout = MainLayout.class)
@PageTitle("SQL console · featurelake")
public class SqlConsoleView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;
  static final int MAX_LIMIT = 10_000;
  private static final String RECENT = "featurelake.console.recent";

  private final transient GatewayClient gateway;
  private final TextArea sql = new TextArea();
  private final IntegerField limit = new IntegerField("Row limit");
  private final Span status = new Span();
  private final Grid<List<String>> results = new Grid<>();
  private final ComboBox<String> recent = new ComboBox<>("Recent queries");

  /** The link that opens the console with {@code sql} filled in. */
  public static String href(String sql) {
    return "console?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public SqlConsoleView(GatewayClient gateway) {
    this.gateway = gateway;
    setSizeFull();
    add(new H2("SQL console"));

    sql.setWidthFull();
    sql.setMinHeight("8em");
    sql.setLabel("SQL (runs on the gateway; Ctrl+Enter runs it)");
    sql.setPlaceholder("SELECT * FROM lake.features.user_activity_daily LIMIT 100");
    sql.setId("console-sql");

    limit.setValue(1000);
    limit.setMin(1);
    limit.setMax(MAX_LIMIT);
    limit.setStepButtonsVisible(true);
    limit.setId("console-limit");

    Button run = new Button("Run", e -> run());
    run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    run.addClickShortcut(Key.ENTER, KeyModifier.CONTROL);
    run.setId("console-run");

    recent.setItems(recentQueries());
    recent.setWidth("32em");
    recent.addValueChangeListener(e -> {
      if (e.getValue() != null && e.isFromClient()) {
        sql.setValue(e.getValue());
      }
    });

    HorizontalLayout actions = new HorizontalLayout(run, limit, recent);
    actions.setAlignItems(Alignment.BASELINE);
    add(sql, timeTravelPicker(), actions);

    status.setId("console-status");
    add(status);
    results.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COLUMN_BORDERS);
    results.setId("console-results");
    results.setSizeFull();
    add(results);
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    QueryParameters params = event.getLocation().getQueryParameters();
    params.getSingleParameter("sql").ifPresent(sql::setValue);
  }

  private HorizontalLayout timeTravelPicker() {
    TextField table = new TextField("Time travel: table");
    table.setPlaceholder("lake.features.user_activity_daily");
    table.setWidth("24em");
    table.setId("tt-table");
    Select<String> kind = new Select<>();
    kind.setLabel("as of");
    kind.setItems("tag or run", "snapshot id", "timestamp");
    kind.setValue("tag or run");
    kind.setId("tt-kind");
    TextField at = new TextField("value");
    at.setPlaceholder("run_2 / 5474624921540312788 / 2023-01-01 10:00:00");
    at.setWidth("20em");
    at.setId("tt-value");
    Button fill = new Button("Fill in query", e -> {
      try {
        sql.setValue(TimeTravelClause.select(table.getValue(), kind.getValue(), at.getValue()));
        status.setText("");
        status.setClassName("");
      } catch (IllegalArgumentException ex) {
        showError(ex.getMessage());
      }
    });
    fill.setId("tt-fill");
    HorizontalLayout row = new HorizontalLayout(table, kind, at, fill);
    row.setAlignItems(Alignment.BASELINE);
    return row;
  }

  private void run() {
    String text = sql.getValue() == null ? "" : sql.getValue().strip();
    if (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    if (text.isEmpty()) {
      showError("Type a statement first");
      return;
    }
    Integer max = limit.getValue();
    if (max == null || max < 1 || max > MAX_LIMIT) {
      showError("Row limit must be between 1 and " + MAX_LIMIT + ", got " + max);
      return;
    }
    remember(text);
    try {
      QueryResult r = gateway.query(text, max, UiSecurity.current().gatewayLogin());
      show(r);
      status.setClassName("fl-muted");
      status.setText(r.rows().size() + " row" + (r.rows().size() == 1 ? "" : "s")
          + (r.truncated() ? " (row limit reached; more rows exist)" : "") + " in " + r.millis() + " ms");
    } catch (GatewayException e) {
      showError(e.getMessage());
    }
  }

  private void show(QueryResult r) {
    results.removeAllColumns();
    for (int i = 0; i < r.columns().size(); i++) {
      int col = i;
      results.addColumn(row -> row.get(col)).setHeader(r.columns().get(i)).setResizable(true).setAutoWidth(true);
    }
    results.setItems(r.rows());
  }

  private void showError(String message) {
    results.removeAllColumns();
    results.setItems(List.of());
    status.setClassName("fl-error");
    status.setText(message);
  }

  @SuppressWarnings("unchecked")
  private static List<String> recentQueries() {
    VaadinSession session = VaadinSession.getCurrent();
    if (session == null) {
      return new ArrayList<>();
    }
    Object list = session.getAttribute(RECENT);
    if (list == null) {
      list = new ArrayList<String>();
      session.setAttribute(RECENT, list);
    }
    return (List<String>) list;
  }

  private void remember(String text) {
    List<String> list = recentQueries();
    list.remove(text);
    list.add(0, text);
    while (list.size() > 20) {
      list.remove(list.size() - 1);
    }
    recent.setItems(list);
  }
}
