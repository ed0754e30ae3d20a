package io.featurelake.webui.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Why a connection could not be opened, from exceptions shaped as hive-jdbc 4.0.1 throws them
 * against a real gateway (SQLSTATE 08S01, "Could not open client transport ...", the Thrift
 * transport exception as cause; recorded with a probe against ./run_gateway.sh): only the cause
 * tells a refused login from a gateway that is not there.
 */
class ConnectFailureTest {

  private static final String URL = "jdbc:hive2://127.0.0.1:10000/";

  /** Stands for the driver's shaded org.apache.thrift.transport.TTransportException. */
  private static final class TransportFailure extends Exception {
    TransportFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static SQLException couldNotOpen(String detail, Throwable cause) {
    return new SQLException("Could not open client transport with JDBC Uri: " + URL + ": " + detail, "08S01",
        new TransportFailure(detail, cause));
  }

  static SQLException wrongPassword() {
    return couldNotOpen("Peer indicated failure: Error validating the login", null);
  }

  static SQLException connectionRefused() {
    return couldNotOpen("java.net.ConnectException: Connection refused", new ConnectException("Connection refused"));
  }

  static SQLException silentGateway() {
    return couldNotOpen("java.net.SocketTimeoutException: Read timed out", new SocketTimeoutException("Read timed out"));
  }

  @Test
  void aRefusedLoginIsNotAnUnreachableGateway() {
    assertThat(ConnectFailure.of(wrongPassword())).isEqualTo(ConnectFailure.LOGIN_REFUSED);
    assertThat(ConnectFailure.refusalReason(wrongPassword())).hasValue("Error validating the login");
  }

  @Test
  void aRefusedConnectionAndAnUnknownHostAreUnreachable() {
    assertThat(ConnectFailure.of(connectionRefused())).isEqualTo(ConnectFailure.UNREACHABLE);
    assertThat(ConnectFailure.of(couldNotOpen("java.net.UnknownHostException: no-such-host.invalid",
        new UnknownHostException("no-such-host.invalid")))).isEqualTo(ConnectFailure.UNREACHABLE);
    assertThat(ConnectFailure.refusalReason(connectionRefused())).isEmpty();
  }

  @Test
  void aGatewayThatAcceptsButNeverAnswersTimesOut() {
    assertThat(ConnectFailure.of(silentGateway())).isEqualTo(ConnectFailure.TIMED_OUT);
    // The same socket timeout under a running statement (the driver's "Failed to wait for operation to complete").
    assertThat(ConnectFailure.timedOut(new SQLException("Failed to wait for operation to complete", "08S01",
        new TransportFailure("java.net.SocketTimeoutException: Read timed out", new SocketTimeoutException("Read timed out")))))
        .isTrue();
    assertThat(ConnectFailure.timedOut(connectionRefused())).isFalse();
  }

  @Test
  void anythingElseIsTheDriversOwnLine() {
    assertThat(ConnectFailure.of(new SQLException("Invalid SessionHandle: SessionHandle [b]"))).isEqualTo(ConnectFailure.OTHER);
    assertThat(ConnectFailure.of(new SQLException("[PERMISSION_DENIED] user 'rita' may not connect", "42501")))
        .isEqualTo(ConnectFailure.OTHER);
  }
}
