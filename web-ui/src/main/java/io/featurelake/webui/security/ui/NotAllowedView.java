package io.featurelake.webui.security.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import io.featurelake.webui.MainLayout;
import io.featurelake.webui.security.NotAllowedException;
import jakarta.servlet.http.HttpServletResponse;

/** The answer to a page the user's role may not open: says who, which role, and who may. */
@ParentLayout(MainLayout.class)
public class NotAllowedView extends VerticalLayout implements HasErrorParameter<NotAllowedException> {

  private static final long serialVersionUID = 1L;

  @Override
  public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotAllowedException> parameter) {
    removeAll();
    setId("not-allowed");
    Paragraph message = new Paragraph(parameter.hasCustomMessage() ? parameter.getCustomMessage()
        : parameter.getException().getMessage());
    message.setId("not-allowed-message");
    add(new H2("Not allowed"), message, new Anchor("", "Back to the overview"));
    return HttpServletResponse.SC_FORBIDDEN;
  }
}
