package io.featurelake.webui.security;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import io.featurelake.webui.security.ui.LoginView;
import io.featurelake.webui.security.ui.NotAllowedView;
import org.springframework.stereotype.Component;

/**
 * Runs before every navigation of every browser tab (all pages are Vaadin routes, so nothing
 * gets past it): with login on, a session without a user goes to the login page and comes back
 * to the page it asked for; a user disabled since login is logged out; a page that exists only to
 * act ({@link RequiresPermission}) is refused, with a page that says why, to a role that lacks it.
 */
@Component
public class RouteGuard implements VaadinServiceInitListener {

  private static final long serialVersionUID = 1L;
  static final String WANTED = RouteGuard.class.getName() + ".wanted";

  private final transient UiSecurity security;

  public RouteGuard(UiSecurity security) {
    this.security = security;
  }

  @Override
  public void serviceInit(ServiceInitEvent event) {
    event.getSource().addUIInitListener(e -> e.getUI().addBeforeEnterListener(this::check));
    event.getSource().addSessionDestroyListener(e -> UiSecurity.forget(e.getSession()));
  }

  private void check(BeforeEnterEvent event) {
    Class<?> target = event.getNavigationTarget();
    if (target == NotAllowedView.class) {
      return;
    }
    if (security.loginOn() && security.user().isPresent() && security.principal().role() == null) {
      UiSecurity.forget(VaadinSession.getCurrent());
    }
    boolean loggedIn = security.user().isPresent();
    if (target == LoginView.class) {
      if (loggedIn) {
        event.forwardTo("");
      }
      return;
    }
    if (!loggedIn) {
      VaadinSession.getCurrent().setAttribute(WANTED, event.getLocation().getPathWithQueryParameters());
      event.forwardTo(LoginView.class);
      return;
    }
    RequiresPermission required = target.getAnnotation(RequiresPermission.class);
    if (required != null) {
      security.pageRefusal(required, event.getLocation().getPath())
          .ifPresent(message -> event.rerouteToError(NotAllowedException.class, message));
    }
  }

  /** The page a login should go on to (asked for before it), once. */
  public static String takeWanted() {
    VaadinSession session = VaadinSession.getCurrent();
    Object wanted = session.getAttribute(WANTED);
    session.setAttribute(WANTED, null);
    return wanted == null || wanted.toString().startsWith("login") ? "" : wanted.toString();
  }
}
