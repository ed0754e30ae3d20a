package io.featurelake.gateway.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** The time prefix of the progress lines the run_*.sh scripts print: {@code [13:48:10] }. */
public final class ConsoleClock {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private ConsoleClock() {}

  public static String stamp() {
    return "[" + LocalTime.now().format(CLOCK) + "] ";
  }
}
