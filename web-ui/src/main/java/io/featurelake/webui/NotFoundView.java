package io.featurelake.webui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import jakarta.servlet.http.HttpServletResponse;

/** The answer to an unknown page, run, view or snapshot in a URL: says which, with a way back. */
@ParentLayout(MainLayout.class)
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

  private static final long serialVersionUID = 1L;

  @Override
  public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
    removeAll();
    addClassName("fl-not-found");
    // The router's own message for an unknown route ("Couldn't find route for ...") is replaced by ours.
    String message = parameter.hasCustomMessage() && !parameter.getCustomMessage().startsWith("Couldn't find route")
        ? parameter.getCustomMessage() : "There is no page at /" + event.getLocation().getPath();
    add(new H2("Not found"), new Paragraph(message), new Anchor("", "Back to the overview"));
    return HttpServletResponse.SC_NOT_FOUND;
  }
}
