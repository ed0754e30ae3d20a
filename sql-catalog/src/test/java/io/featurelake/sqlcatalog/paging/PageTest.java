package io.featurelake.sqlcatalog.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.sqlcatalog.errors.ErrorCode;
import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {

  @Test
  void pagesAListInMemoryWithItsTotal() {
    List<Integer> all = List.of(1, 2, 3, 4, 5);
    Page<Integer> second = Page.of(all, PageRequest.of(2, 2));
    assertThat(second.items()).containsExactly(3, 4);
    assertThat(second.total()).isEqualTo(5);
    assertThat(second.hasMore()).isTrue();
    assertThat(Page.of(all, PageRequest.of(4, 2)).items()).containsExactly(5);
    assertThat(Page.of(all, PageRequest.of(4, 2)).hasMore()).isFalse();
    assertThat(Page.of(all, PageRequest.of(9, 2)).items()).isEmpty();
    assertThat(second.map(i -> "#" + i).items()).containsExactly("#3", "#4");
  }

  @Test
  void outOfRangePagesAreInvalidArgumentsNamingTheValue() {
    assertThatThrownBy(() -> PageRequest.of(0, 0)).isInstanceOf(PlatformException.class)
        .hasMessage("limit must be between 1 and 10000, got 0")
        .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo(ErrorCode.INVALID_PROCEDURE_ARGUMENT));
    assertThatThrownBy(() -> PageRequest.of(-1, 5)).hasMessage("offset must be 0 or more, got -1");
    assertThatThrownBy(() -> PageRequest.of("lake.platform.run_events", 0, 10_001))
        .hasMessage("lake.platform.run_events: limit must be between 1 and 10000, got 10001");
    assertThat(PageRequest.of(0, 10_000).limit()).isEqualTo(10_000);
  }
}
