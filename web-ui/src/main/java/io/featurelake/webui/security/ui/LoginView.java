package io.featurelake.webui.security.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Location;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.featurelake.sqlcatalog.security.LoginFailedException;
import io.featurelake.webui.security.RouteGuard;
import io.featurelake.webui.security.UiSecurity;
import java.util.Arrays;

/**
 * The login page: the gateway's users and password check, so one account serves DBeaver,
 * beeline, the notebooks and this UI. Every failure shows the same line, whatever the cause.
 */
@Route("login")
@PageTitle("Log in · featurelake")
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

  private static final long serialVersionUID = 1L;
  /** The gateway's one line, shown once: its "Login failed" as the alert's title, the reason below. */
  static final String ERROR_TITLE = "Login failed";
  static final String ERROR_MESSAGE = errorMessage(LoginFailedException.MESSAGE);

  private final transient UiSecurity security;
  private final LoginForm form = new LoginForm();
  private final Paragraph note = new Paragraph();

  public LoginView(UiSecurity security) {
    this.security = security;
    setSizeFull();
    setAlignItems(Alignment.CENTER);
    setJustifyContentMode(JustifyContentMode.CENTER);
    addClassName("fl-login");
    LoginI18n i18n = LoginI18n.createDefault();
    i18n.getForm().setTitle("Log in");
    i18n.getForm().setUsername("User name");
    i18n.getErrorMessage().setTitle(ERROR_TITLE);
    i18n.getErrorMessage().setMessage(ERROR_MESSAGE);
    form.setI18n(i18n);
    form.setForgotPasswordButtonVisible(false);
    form.setId("login-form");
    form.addLoginListener(e -> {
      char[] password = e.getPassword().toCharArray();
      try {
        security.login(e.getUsername(), password);
        Location wanted = new Location(RouteGuard.takeWanted());
        UI.getCurrent().navigate(wanted.getPath(), wanted.getQueryParameters());
      } catch (LoginFailedException failed) {
        form.setError(true);
        form.setEnabled(true);
      } finally {
        Arrays.fill(password, '\0'); // the session keeps its own copy
      }
    });
    note.setId("login-note");
    note.addClassName("fl-muted");
    H1 title = new H1("featurelake");
    title.addClassName("fl-login-title");
    add(title, form, note, new Paragraph("The same users as the gateway (DBeaver, beeline, notebooks); "
        + "an admin adds them with ./run_gateway.sh --add-user or CALL lake.platform.create_user."));
  }

  /** "Login failed: wrong user name ..." becomes "Wrong user name ..." under the title "Login failed". */
  static String errorMessage(String line) {
    String prefix = ERROR_TITLE + ": ";
    if (!line.startsWith(prefix)) {
      return line;
    }
    String reason = line.substring(prefix.length());
    return Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + (reason.endsWith(".") ? "" : ".");
  }

  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    var params = event.getLocation().getQueryParameters().getParameters();
    note.setText(params.containsKey("logged-out") ? "You are logged out." : "");
    note.setVisible(params.containsKey("logged-out"));
  }
}
