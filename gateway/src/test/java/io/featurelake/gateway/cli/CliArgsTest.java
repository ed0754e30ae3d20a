package io.featurelake.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliArgsTest {

  /** Reads every option into "flag=value" strings the way a script's parser would. */
  private static List<String> read(String... args) {
    List<String> out = new ArrayList<>();
    CliArgs cli = new CliArgs(args);
    while (cli.next()) {
      switch (cli.flag()) {
        case "--days" -> out.add("days=" + cli.intValue());
        case "--events" -> out.add("events=" + cli.longValue());
        case "--view" -> out.add("view=" + cli.listValue());
        case "--mode" -> out.add("mode=" + cli.value());
        case "--full" -> out.add("full=" + cli.switchOn());
        default -> throw cli.unknown();
      }
    }
    return out;
  }

  @Test
  void readsSpaceAndEqualsFormsAlike() {
    assertThat(read("--days", "7", "--mode=shifted", "--full", "--events=1_000_000", "--view", "a, b,,c"))
        .containsExactly("days=7", "mode=shifted", "full=true", "events=1000000", "view=[a, b, c]");
    assertThat(read("--mode=a=b")).containsExactly("mode=a=b");
    assertThat(read("--mode=")).containsExactly("mode=");
  }

  @Test
  void namesTheOptionInEveryMistake() {
    assertThatThrownBy(() -> read("--days")).hasMessage("--days needs a value");
    assertThatThrownBy(() -> read("--days", "--full")).hasMessage("--days needs a value");
    assertThatThrownBy(() -> read("--days", "seven")).hasMessage("--days must be a whole number, got 'seven'");
    assertThatThrownBy(() -> read("--days=99999999999")).hasMessage("--days is out of range, got 99999999999");
    assertThatThrownBy(() -> read("--full=yes")).hasMessage("--full takes no value, got '--full=yes'");
    assertThatThrownBy(() -> read("--dys=3")).hasMessage("unknown option '--dys=3'");
    assertThatThrownBy(() -> read("extra")).hasMessage("unknown option 'extra'");
  }
}
