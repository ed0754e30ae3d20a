package io.featurelake.sqlcatalog.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableNameTest {

  @Test
  void tableArgumentsWithOrWithoutTheCatalog() {
    assertThat(TableName.parse("x", "features.v").qualified()).isEqualTo("lake.features.v");
    assertThat(TableName.parse("x", " LAKE.Raw.Events ").qualified()).isEqualTo("lake.raw.events");
    assertThat(TableName.parse("x", "lake.features.v").identifier().toString()).isEqualTo("features.v");
    assertThatThrownBy(() -> TableName.parse("lake.platform.describe_table", "v"))
        .hasMessage("lake.platform.describe_table: table must be 'namespace.table', got 'v'");
    assertThatThrownBy(() -> TableName.parse("ctx", "a.b.c")).hasMessage("ctx: table must be 'namespace.table', got 'a.b.c'");
  }

  @Test
  void aBareNameIsThatViewsFeatureTable() {
    assertThat(TableName.parseViewOrTable("v").qualified()).isEqualTo("lake.features.v");
    assertThat(TableName.parseViewOrTable("raw.events").qualified()).isEqualTo("lake.raw.events");
    assertThat(TableName.parseViewOrTable("other.a.b")).isNull();
  }

  @Test
  void lakeNamesAreBuiltInOnePlace() {
    assertThat(LakeNames.featureTable("v")).isEqualTo("lake.features.v");
    assertThat(LakeNames.featureViewOf("lake.features.v")).contains("v");
    assertThat(LakeNames.featureViewOf("lake.raw.events")).isEmpty();
    assertThat(LakeNames.runTag(42)).isEqualTo("run_42");
    assertThat(LakeNames.auditBranch(42)).isEqualTo("audit_42");
    assertThat(LakeNames.procedure("run_status")).isEqualTo("lake.platform.run_status");
  }
}
