package io.featurelake.webui.notebooks.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.common.Paged;
import io.featurelake.webui.notebooks.Notebook;
import io.featurelake.webui.notebooks.NotebookExecution;
import io.featurelake.webui.notebooks.Notebooks;

/** The exploration notebooks with their last headless execution, each opening its executed copy. */
@Route(value = "notebooks", layout = MainLayout.class)
@PageTitle("Notebooks · featurelake")
class NotebooksView extends VerticalLayout {

  private static final long serialVersionUID = 1L;

  NotebooksView(Notebooks notebooks) {
    setWidthFull();
    add(new H2("Notebooks"));
    // The folder by its name (the full path is its tooltip): the project's notebooks/ unless configured elsewhere.
    Code folder = new Code(notebooks.folder().getFileName() + "/");
    folder.setTitle(notebooks.folder().toString());
    add(new Paragraph(new Span("The exploration notebooks in "), folder, new Span(", run against the gateway. "), new Code("./run_notebooks.sh --execute"),
        new Span(" executes them all headless and records each run here; "), new Code("./run_notebooks.sh"),
        new Span(" starts Jupyter at " + notebooks.jupyterUrl() + " (it prints the URL with its token).")));
    for (String problem : notebooks.executions().problems()) {
      Span warning = new Span(problem);
      warning.addClassName("fl-error");
      add(warning);
    }
    if (notebooks.names().isEmpty()) {
      add(new Paragraph("There are no notebooks (*.ipynb) in " + notebooks.folder() + "."));
      return;
    }
    Grid<Notebook> grid = Paged.grid(Notebook.class);
    grid.setId("notebooks");
    grid.addThemeVariants(GridVariant.LUMO_WRAP_CELL_CONTENT);
    grid.addComponentColumn(n -> new Anchor("notebooks/" + n.name(), n.name())).setHeader("Notebook").setAutoWidth(true);
    grid.addColumn(Notebook::title).setHeader("Title").setFlexGrow(3);
    grid.addComponentColumn(NotebooksView::result).setHeader("Last execution").setAutoWidth(true);
    grid.addColumn(n -> n.lastExecution().map(e -> NotebookText.finished(e)).orElse("")).setHeader("Finished").setAutoWidth(true);
    grid.addColumn(n -> n.lastExecution().map(e -> NotebookText.seconds(e.seconds())).orElse("")).setHeader("Duration")
        .setAutoWidth(true);
    grid.addComponentColumn(n -> {
      Anchor open = new Anchor(notebooks.jupyterLink(n.name()), "Open in Jupyter");
      open.setTarget(AnchorTarget.BLANK);
      return open;
    }).setHeader("Jupyter").setAutoWidth(true);
    Paged.bind(grid, notebooks::list);
    grid.setAllRowsVisible(true);
    add(grid);
  }

  private static Component result(Notebook n) {
    return n.lastExecution().map(NotebookExecution::passed).map(NotebookText::badge).orElseGet(() -> {
      Span never = new Span("not executed yet");
      never.addClassName("fl-muted");
      return never;
    });
  }
}
