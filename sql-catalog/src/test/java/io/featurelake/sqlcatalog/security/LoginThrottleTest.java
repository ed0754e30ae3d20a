package io.featurelake.sqlcatalog.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<Long> sleeps = new ArrayList<>();
  private final LoginThrottle throttle = new LoginThrottle(now::get, sleeps::add);

  @Test
  void repeatedFailuresOfOneNameWaitLongerAndLonger() throws Exception {
    for (int i = 0; i < 9; i++) {
      throttle.awaitTurn("rita");
      throttle.failed("rita");
    }
    // Three free attempts, then 1 s doubling up to the 16 s cap.
    assertThat(sleeps).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 16_000L);
    assertThat(throttle.delayMillis("eric")).isZero();
  }

  @Test
  void successResetsAndQuietTimeForgets() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("rita");
      throttle.failed("nobody");
    }
    assertThat(throttle.delayMillis("rita")).isEqualTo(4_000L);
    assertThat(throttle.delayMillis("nobody")).isEqualTo(4_000L);
    throttle.succeeded("rita");
    assertThat(throttle.delayMillis("rita")).isZero();
    now.addAndGet(15 * 60_000L + 1);
    assertThat(throttle.delayMillis("nobody")).isZero();
  }

  @Test
  void hugeNamesShareOneEntry() {
    String a = "x".repeat(100_000);
    for (int i = 0; i < 3; i++) {
      throttle.failed(a + i);
    }
    assertThat(throttle.delayMillis(a)).isEqualTo(1_000L);
  }
}
