package io.featurelake.webui.gateway;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why hive-jdbc could not open a connection to the gateway, read from what the driver (4.0.1)
 * throws, as seen against a real gateway: every case is an {@link SQLException} with SQLSTATE
 * 08S01 and the message {@code Could not open client transport with JDBC Uri: <url>: ...}, so
 * only the cause tells them apart.
 *
 * <ul>
 *   <li>No gateway listening, unknown host: a Thrift {@code TTransportException} caused by a
 *       {@code ConnectException} / {@code UnknownHostException}.
 *   <li>A gateway that accepts the TCP connection but never answers: the same with a
 *       {@link SocketTimeoutException} ({@code Read timed out}) once the socket timeout passed.
 *   <li>A gateway that answers but refuses the login (wrong password, unknown or disabled user,
 *       no password while the gateway wants one): a {@code TTransportException} without a cause,
 *       {@code Peer indicated failure: Error validating the login}: the SASL handshake's refusal,
 *       the only reason the gateway sends (its log has the detail).
 * </ul>
 */
enum ConnectFailure {
  /** The gateway cannot be reached at all: refused, unknown host, no route. */
  UNREACHABLE,
  /** The gateway took the TCP connection but did not answer in time (hung, stopped, overloaded). */
  TIMED_OUT,
  /** The gateway answered and refused the login. */
  LOGIN_REFUSED,
  /** Anything else: shown as the driver's one line. */
  OTHER;

  private static final String PEER_REFUSAL = "Peer indicated failure: ";

  static ConnectFailure of(SQLException e) {
    if (timedOut(e)) {
      return TIMED_OUT;
    }
    if (refusalReason(e).isPresent()) {
      return LOGIN_REFUSED;
    }
    if (causes(e).stream().anyMatch(IOException.class::isInstance)) {
      return UNREACHABLE; // ConnectException, UnknownHostException, NoRouteToHostException, a reset
    }
    String message = GatewayClient.firstLine(e.getMessage());
    if (message.contains("Connection refused") || message.contains("Socket is closed")) {
      return UNREACHABLE; // the driver sometimes keeps only the message of the socket's failure
    }
    return OTHER;
  }

  /** Whether the failure is a socket timeout anywhere in the cause chain (connect or read). */
  static boolean timedOut(Throwable e) {
    return causes(e).stream().anyMatch(SocketTimeoutException.class::isInstance);
  }

  /** The gateway's reason for refusing the login ({@code Error validating the login}), if it refused one. */
  static Optional<String> refusalReason(SQLException e) {
    for (Throwable t : causes(e)) {
      String message = t.getMessage();
      int at = message == null ? -1 : message.indexOf(PEER_REFUSAL);
      if (at >= 0) {
        String reason = GatewayClient.firstLine(message.substring(at + PEER_REFUSAL.length()));
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  /** {@code e} and its causes, outermost first (at most 20: a cycle must not loop). */
  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && chain.size() < 20; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
