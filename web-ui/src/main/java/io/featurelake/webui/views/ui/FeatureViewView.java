package io.featurelake.webui.views.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.security.Permission;
import io.featurelake.webui.security.UiSecurity;
import io.featurelake.sqlcatalog.core.PlatformCore;
import io.featurelake.sqlcatalog.errors.PlatformException;
import io.featurelake.sqlcatalog.features.FeatureViewDefinition;
import io.featurelake.sqlcatalog.features.FeatureViewVersion;
import io.featurelake.sqlcatalog.lake.LakeNames;
import io.featurelake.sqlcatalog.lake.TableName;
import io.featurelake.sqlcatalog.paging.PageRequest;
import io.featurelake.sqlcatalog.tables.PartitionStats;
import io.featurelake.sqlcatalog.tables.SchemaVersion;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.common.LineDiff;
import io.featurelake.webui.common.Paged;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A feature view: what it is (owner, entity and timestamp columns, the SQL and YAML as shipped),
 * how its definition changed (versions and a diff between any two), what the audit holds it to,
 * and its table (schema over time, partitions).
 */
@Route(value = "views/:view", layout = MainLayout.class)
@PageTitle("Feature view · featurelake")
public class FeatureViewView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient PlatformCore core;

  public FeatureViewView(PlatformCore core) {
    this.core = core;
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String name = event.getRouteParameters().get("view").orElse("");
    FeatureViewDefinition def;
    try {
      def = core.featureViews().get(name).definition();
    } catch (PlatformException unknown) {
      event.rerouteToError(NotFoundException.class, "There is no feature view '" + name + "'");
      return;
    }
    removeAll();
    add(new H2("Feature view " + name));
    HorizontalLayout links = new HorizontalLayout(new Anchor("views/" + name + "/history", "table history"),
        new Anchor("runs", "runs"), new Anchor("lineage?table=" + name, "lineage"));
    if (UiSecurity.current().may(Permission.START_BACKFILL)) {
      links.add(new Anchor("backfill?view=" + name, "backfill"));
    }
    add(links);
    add(about(def));
    add(new H3("Checks and thresholds"), checks(def));
    add(new H3("Definition as shipped"));
    Pre yaml = new Pre(def.yaml());
    yaml.addClassName("fl-code");
    yaml.setId("view-yaml");
    Pre sql = new Pre(def.sql());
    sql.addClassName("fl-code");
    sql.setId("view-sql");
    add(new Span(def.sourcePath()), yaml, sql);
    add(new H3("Training sets"), trainingSets(name));
    add(new H3("Definition versions"), versions(name, event.getLocation().getQueryParameters().getSingleParameter("version").orElse(null)));
    TableName table = LakeNames.featureTableName(name);
    if (core.tables().exists(table)) {
      add(new H3("Schema over time"), schemas(table));
      add(new H3("Partitions on main"), partitions(table));
    } else {
      add(new Span("No table yet: nothing was backfilled for this view."));
    }
  }

  /** Training sets that read this view, with the snapshots and definition they pinned. */
  private Component trainingSets(String view) {
    var sets = new io.featurelake.sqlcatalog.training.TrainingSetRepository(core.database()).list().stream()
        .filter(m -> m.views().stream().anyMatch(v -> v.featureView().equals(view))).toList();
    Grid<io.featurelake.sqlcatalog.training.TrainingSetManifest> grid = new Grid<>();
    grid.setId("view-training-sets");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    grid.addColumn(io.featurelake.sqlcatalog.training.TrainingSetManifest::name).setHeader("Training set").setAutoWidth(true);
    grid.addColumn(io.featurelake.sqlcatalog.training.TrainingSetManifest::mode).setHeader("Mode");
    grid.addColumn(m -> Format.count(m.outputRows())).setHeader("Rows");
    grid.addColumn(m -> m.views().stream().filter(v -> v.featureView().equals(view))
        .map(v -> Format.shortSha(v.definitionSha256())).findFirst().orElse("")).setHeader("Definition used");
    grid.addColumn(m -> Format.time(m.createdAt()) + " by " + m.createdBy()).setHeader("Built").setAutoWidth(true);
    grid.setItems(sets);
    grid.setAllRowsVisible(true);
    if (sets.isEmpty()) {
      return new Span("No training set reads this view yet (CALL lake.platform.build_training_set(...)).");
    }
    return grid;
  }

  private Component about(FeatureViewDefinition d) {
    Div facts = new Div();
    facts.addClassName("fl-facts");
    facts.setId("view-about");
    fact(facts, "Description", d.description().isBlank() ? "—" : d.description());
    fact(facts, "Owner", d.owner());
    fact(facts, "Entity columns", String.join(", ", d.entities()));
    fact(facts, "Timestamp column", d.eventTimestamp());
    fact(facts, "Sources", String.join(", ", d.sources()));
    fact(facts, "Lookback", d.lookbackDays() + " days");
    fact(facts, "Online TTL", Format.duration(d.onlineTtl()));
    fact(facts, "Table", d.tableName());
    fact(facts, "Definition", Format.shortSha(d.sha256()) + (d.gitCommit() == null ? "" : " at commit " + Format.shortSha(d.gitCommit())));
    return facts;
  }

  private static void fact(Div facts, String label, String value) {
    Span l = new Span(label);
    l.addClassName("fl-fact-label");
    Div row = new Div(l, new Span(value));
    row.addClassName("fl-fact");
    facts.add(row);
  }

  /** Every threshold of the view's checks, read off the record so new kinds of check show up by themselves. */
  private Component checks(FeatureViewDefinition d) {
    record Threshold(String name, String value) {}
    List<Threshold> rows = new ArrayList<>();
    for (RecordComponent c : d.checks().getClass().getRecordComponents()) {
      try {
        Object v = c.getAccessor().invoke(d.checks());
        rows.add(new Threshold(c.getName(), v instanceof Map<?, ?> m && m.isEmpty() || v instanceof List<?> l && l.isEmpty()
            ? "—" : String.valueOf(v)));
      } catch (ReflectiveOperationException e) {
        rows.add(new Threshold(c.getName(), "(unreadable)"));
      }
    }
    Grid<Threshold> grid = new Grid<>();
    grid.setId("view-checks");
    grid.addThemeVariants(GridVariant.LUMO_COMPACT);
    grid.addColumn(Threshold::name).setHeader("Check").setAutoWidth(true);
    grid.addColumn(Threshold::value).setHeader("Threshold").setFlexGrow(3);
    grid.setItems(rows);
    grid.setAllRowsVisible(true);
    return grid;
  }

  private Component versions(String name, String selected) {
    Grid<FeatureViewVersion> grid = Paged.grid(FeatureViewVersion.class);
    grid.setId("view-versions");
    grid.addColumn(v -> Format.shortSha(v.sha256())).setHeader("sha256").setAutoWidth(true);
    grid.addColumn(v -> Format.time(v.firstSeenAt())).setHeader("First seen").setAutoWidth(true);
    grid.addColumn(v -> Format.orDash(v.gitCommit()) + (v.gitDirty() ? " (dirty)" : "")).setHeader("Git commit").setAutoWidth(true);
    grid.setHeight("12em");
    Paged.bind(grid, page -> core.featureViews().versions(name, page));

    List<FeatureViewVersion> all = core.featureViews().versions(name, PageRequest.first(200)).items();
    ComboBox<FeatureViewVersion> from = versionPicker("Old", all);
    ComboBox<FeatureViewVersion> to = versionPicker("New", all);
    if (!all.isEmpty()) {
      to.setValue(all.get(0));
      from.setValue(all.size() > 1 ? all.get(1) : all.get(0));
    }
    if (selected != null) {
      all.stream().filter(v -> v.sha256().equals(selected)).findFirst().ifPresent(to::setValue);
    }
    Div diff = new Div();
    diff.setId("view-diff");
    diff.addClassName("fl-code");
    Button show = new Button("Diff", e -> showDiff(diff, from.getValue(), to.getValue()));
    show.setId("view-diff-button");
    showDiff(diff, from.getValue(), to.getValue());
    HorizontalLayout pick = new HorizontalLayout(from, to, show);
    pick.setAlignItems(Alignment.BASELINE);
    VerticalLayout box = new VerticalLayout(grid, pick, diff);
    box.setPadding(false);
    return box;
  }

  private static ComboBox<FeatureViewVersion> versionPicker(String label, List<FeatureViewVersion> all) {
    ComboBox<FeatureViewVersion> box = new ComboBox<>(label);
    box.setItems(all);
    box.setItemLabelGenerator(v -> Format.shortSha(v.sha256()) + " · " + Format.time(v.firstSeenAt()));
    box.setWidth("22em");
    return box;
  }

  private static void showDiff(Div target, FeatureViewVersion a, FeatureViewVersion b) {
    target.removeAll();
    if (a == null || b == null) {
      target.setText("Pick two versions.");
      return;
    }
    if (Objects.equals(a.sha256(), b.sha256())) {
      target.setText("Same version (" + Format.shortSha(a.sha256()) + "): no difference.");
      return;
    }
    for (LineDiff.Line line : LineDiff.of(a.definitionText(), b.definitionText())) {
      Div d = new Div(new Span(line.op() + " " + line.text()));
      if (line.op() == '+') {
        d.addClassName("fl-diff-add");
      } else if (line.op() == '-') {
        d.addClassName("fl-diff-del");
      }
      target.add(d);
    }
  }

  private Component schemas(TableName table) {
    List<SchemaVersion> versions = core.tableHistory().schemas(table);
    VerticalLayout box = new VerticalLayout();
    box.setPadding(false);
    box.setId("view-schemas");
    SchemaVersion previous = null;
    for (SchemaVersion s : versions) {
      String head = "schema " + s.schemaId() + (s.current() ? " (current)" : "")
          + (s.firstUsedAt() == null ? "" : ", first written " + Format.time(s.firstUsedAt()));
      box.add(new Span(head));
      box.add(new Span(previous == null ? "columns: " + s.columns().stream().map(c -> c.name() + " " + c.type())
          .collect(Collectors.joining(", ")) : "changes: " + String.join("; ", changes(previous, s))));
      previous = s;
    }
    return box;
  }

  static List<String> changes(SchemaVersion before, SchemaVersion after) {
    Map<Integer, SchemaVersion.Column> old = before.columns().stream().collect(Collectors.toMap(SchemaVersion.Column::fieldId, Function.identity()));
    Map<Integer, SchemaVersion.Column> now = after.columns().stream().collect(Collectors.toMap(SchemaVersion.Column::fieldId, Function.identity()));
    List<String> out = new ArrayList<>();
    for (SchemaVersion.Column c : after.columns()) {
      SchemaVersion.Column o = old.get(c.fieldId());
      if (o == null) {
        out.add("added " + c.name() + " " + c.type());
      } else {
        if (!o.name().equals(c.name())) {
          out.add("renamed " + o.name() + " to " + c.name());
        }
        if (!o.type().equals(c.type())) {
          out.add(c.name() + " " + o.type() + " -> " + c.type());
        }
        if (o.required() != c.required()) {
          out.add(c.name() + (c.required() ? " now required" : " now optional"));
        }
      }
    }
    for (SchemaVersion.Column o : before.columns()) {
      if (!now.containsKey(o.fieldId())) {
        out.add("dropped " + o.name());
      }
    }
    return out.isEmpty() ? List.of("none in columns (properties only)") : out;
  }

  private Component partitions(TableName table) {
    Grid<PartitionStats> grid = Paged.grid(PartitionStats.class);
    grid.setId("view-partitions");
    grid.addComponentColumn(p -> new Anchor("lineage?table=" + table.table() + "&day=" + day(p.partition()), p.partition()))
        .setHeader("Partition").setAutoWidth(true);
    grid.addColumn(p -> Format.count(p.records())).setHeader("Rows");
    grid.addColumn(PartitionStats::dataFiles).setHeader("Files");
    grid.addColumn(p -> Format.bytes(p.sizeBytes())).setHeader("Size");
    List<PartitionStats> all = core.tableHistory().partitions(table, null);
    Paged.bind(grid, page -> io.featurelake.sqlcatalog.paging.Page.of(all, page));
    grid.setHeight("18em");
    return grid;
  }

  static String day(String partition) {
    int eq = partition.indexOf('=');
    return eq < 0 ? partition : partition.substring(eq + 1);
  }
}
