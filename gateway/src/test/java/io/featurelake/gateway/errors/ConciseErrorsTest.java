package io.featurelake.gateway.errors;

import io.featurelake.sqlcatalog.errors.PlatformException;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.hive.service.cli.HiveSQLException;
import org.junit.jupiter.api.Test;

class ConciseErrorsTest {

  @Test
  void platformErrorWinsAnywhereInTheChain() {
    PlatformException cause = PlatformException.invalidArgument("lake.platform.x: argument 'a' must be STRING, got INT 1");
    HiveSQLException wrapped = new HiveSQLException("Error running query: " + cause, new RuntimeException("outer", cause));

    assertThat(ConciseErrors.message(wrapped))
        .isEqualTo("[INVALID_PROCEDURE_ARGUMENT] lake.platform.x: argument 'a' must be STRING, got INT 1");
    assertThat(ConciseErrors.sqlState(wrapped)).isEqualTo("22023");
  }

  @Test
  void plainExceptionGetsItsSimpleNameAndFirstLine() {
    RuntimeException e = new IllegalStateException("\n  first line  \nsecond line\n\tat somewhere");

    assertThat(ConciseErrors.message(e)).isEqualTo("IllegalStateException: first line");
  }

  @Test
  void veryLongFirstLinesAreCut() {
    String message = ConciseErrors.message(new RuntimeException("x".repeat(5000)));

    assertThat(message).hasSize(ConciseErrors.MAX_LENGTH).endsWith("...");
  }

  @Test
  void conciseExceptionPrintsOnlyItsMessage() {
    ConciseHiveSQLException e = ConciseHiveSQLException.of(new IllegalArgumentException("bad value 7", new RuntimeException("deep")));
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));

    assertThat(out.toString()).isEqualTo("IllegalArgumentException: bad value 7");
    assertThat(e.getCause()).isNull();
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.toString()).isEqualTo("IllegalArgumentException: bad value 7");
  }
}
