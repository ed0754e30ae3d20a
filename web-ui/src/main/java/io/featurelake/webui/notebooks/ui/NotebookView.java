package io.featurelake.webui.notebooks.ui;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AnchorTarget;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.notebooks.Notebook;
import io.featurelake.webui.notebooks.NotebookExecution;
import io.featurelake.webui.notebooks.Notebooks;
import java.util.Optional;

/**
 * One notebook: its last execution and the executed copy (nbconvert's HTML, scripts and event
 * handlers removed on the server), with a link that opens it in Jupyter.
 */
@Route(value = "notebooks/:name", layout = MainLayout.class)
@PageTitle("Notebook · featurelake")
class NotebookView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;

  private final transient Notebooks notebooks;

  NotebookView(Notebooks notebooks) {
    this.notebooks = notebooks;
    setWidthFull();
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    String name = event.getRouteParameters().get("name").orElse("");
    Optional<Notebook> found = notebooks.find(name);
    if (found.isEmpty()) {
      event.rerouteToError(NotFoundException.class, "There is no notebook '" + name + "'; notebooks: "
          + String.join(", ", notebooks.names()));
      return;
    }
    show(found.get());
  }

  private void show(Notebook nb) {
    removeAll();
    add(new H2(nb.title()));
    Anchor jupyter = new Anchor(notebooks.jupyterLink(nb.name()), "Open in Jupyter");
    jupyter.setTarget(AnchorTarget.BLANK);
    jupyter.setId("notebook-jupyter");
    HorizontalLayout head = new HorizontalLayout(new Code(nb.name() + ".ipynb"), jupyter, new Anchor("notebooks", "All notebooks"));
    head.setAlignItems(Alignment.BASELINE);
    add(head);

    Span state = new Span();
    state.setId("notebook-execution");
    if (nb.lastExecution().isEmpty()) {
      state.add(new Span("Not executed yet. With the gateway running (./run_gateway.sh), execute it headless with "),
          new Code(NotebookText.executeCommand(nb.name())), new Span(", or open it in Jupyter (./run_notebooks.sh)."));
      add(state);
      return;
    }
    NotebookExecution last = nb.lastExecution().get();
    state.add(NotebookText.badge(last.passed()), new Span(" finished " + NotebookText.finished(last) + " in "
        + NotebookText.seconds(last.seconds())));
    add(state);
    notebooks.failure(nb.name()).ifPresent(f -> {
      Span failure = new Span("Failed at " + f);
      failure.setId("notebook-failure");
      failure.addClassName("fl-error");
      add(failure);
    });
    Optional<String> html = notebooks.executedHtml(nb.name());
    if (html.isEmpty()) {
      add(new Paragraph("The executed copy (" + nb.name() + ".html in the state directory's notebooks/) is missing; run "
          + NotebookText.executeCommand(nb.name()) + " again."));
      return;
    }
    Div body = new Div(new Html(html.get()));
    body.setId("notebook-html");
    body.setWidthFull();
    add(body);
  }
}
