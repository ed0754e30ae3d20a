package io.featurelake.gateway.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSetRequestTest {

  private static TrainingSetRequest parse(String name, String features, String mapping, String mode) {
    return TrainingSetRequest.parse(name, "lake.ml.labels", features, "label_time", mapping, mode, "tester");
  }

  @Test
  void featuresKeepTheirOrderAndAStarTakesEveryFeature() {
    TrainingSetRequest r = parse("churn_2023_01", "user_activity_daily.view_count, item_popularity_daily.*, "
        + "user_activity_daily.click_count, item_popularity_daily.view_count", "", "event_time");
    assertThat(r.features()).isEqualTo(Map.of("user_activity_daily", List.of("view_count", "click_count"),
        "item_popularity_daily", List.of("*")));
    assertThat(List.copyOf(r.features().keySet())).containsExactly("user_activity_daily", "item_popularity_daily");
    assertThat(r.mode()).isEqualTo(TrainingMode.EVENT_TIME);
    assertThat(r.tableName()).isEqualTo("lake.training.churn_2023_01");
  }

  @Test
  void entityMappingForAllViewsOrOneView() {
    TrainingSetRequest r = parse("t", "a.*", "user_id=customer, item_popularity_daily.item_id=product", "as_known_at");
    assertThat(r.spineColumnFor("user_activity_daily", "user_id")).isEqualTo("customer");
    assertThat(r.spineColumnFor("item_popularity_daily", "item_id")).isEqualTo("product");
    assertThat(r.spineColumnFor("other_view", "item_id")).isEqualTo("item_id");
    assertThat(r.mode()).isEqualTo(TrainingMode.AS_KNOWN_AT);
  }

  @Test
  void malformedArgumentsNameTheBadValue() {
    assertThatThrownBy(() -> parse("Churn-1", "a.*", "", "as_known_at")).hasMessage(
        "name must be a lower-case name like 'churn_2023_01' (letters, digits, underscores), got 'Churn-1'");
    assertThatThrownBy(() -> parse("t", "view_count", "", "as_known_at"))
        .hasMessage("features: 'view_count' is not <view>.<feature> or <view>.*");
    assertThatThrownBy(() -> parse("t", "a.b.c", "", "as_known_at"))
        .hasMessage("features: 'a.b.c' is not <view>.<feature> or <view>.*");
    assertThatThrownBy(() -> parse("t", " ", "", "as_known_at"))
        .hasMessage("features must list <view>.<feature> or <view>.* items, got ' '");
    assertThatThrownBy(() -> parse("t", "a.*", "user_id", "as_known_at"))
        .hasMessage("entity_mapping: 'user_id' is not <entity>=<spine column> or <view>.<entity>=<spine column>");
    assertThatThrownBy(() -> parse("t", "a.*", "", "latest"))
        .hasMessage("mode must be as_known_at or event_time, got 'latest'");
  }
}
