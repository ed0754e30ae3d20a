package io.featurelake.webui.common;

import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.featurelake.webui.gateway.GatewayClient;
import io.featurelake.webui.gateway.GatewayException;
import io.featurelake.webui.gateway.QueryResult;
import io.featurelake.webui.security.UiSecurity;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the UI changes goes through the gateway's CALLs, the same door as every client; a
 * refusal comes back as the gateway's one-line message and is shown as such. Each call goes over
 * the session's gateway connection, opened as the logged-in user, so the gateway records them,
 * not the UI.
 */
public final class Actions {

  private Actions() {}

  /** Checks the session's role again on the server (pages only hide buttons), then calls as the session's user. */
  public static Optional<QueryResult> call(GatewayClient gateway, Call call) {
    UiSecurity security = UiSecurity.current();
    Optional<String> refused = security.refusal(call);
    if (refused.isPresent()) {
      error(refused.get());
      return Optional.empty();
    }
    try {
      return Optional.of(gateway.query(call.sql(), 10_000, security.gatewayLogin()));
    } catch (GatewayException e) {
      error(e.getMessage());
      return Optional.empty();
    }
  }

  /** Asks first, then calls, then hands the result on. */
  public static void confirmThenCall(String title, String text, String confirmText, GatewayClient gateway, Call call,
      Consumer<QueryResult> then) {
    ConfirmDialog dialog = new ConfirmDialog();
    dialog.setHeader(title);
    dialog.setText(text + "\n\n" + call.sql());
    dialog.setCancelable(true);
    dialog.setConfirmText(confirmText);
    dialog.addConfirmListener(e -> call(gateway, call).ifPresent(then));
    dialog.open();
  }

  public static void error(String message) {
    Notification n = Notification.show(message, 8000, Notification.Position.TOP_CENTER);
    n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    n.setId("fl-error-notification");
  }

  public static void info(String message) {
    Notification n = Notification.show(message, 5000, Notification.Position.TOP_CENTER);
    n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
  }
}
