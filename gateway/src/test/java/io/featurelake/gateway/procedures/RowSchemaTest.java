package io.featurelake.gateway.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.featurelake.gateway.procedures.RowSchema.Required;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

class RowSchemaTest {

  enum Color { RED }

  record Sample(long runId, @Required String featureView, Long rowCount, LocalDate day, OffsetDateTime at, Color color,
      boolean done, Double psi) {}

  record Unsupported(List<String> items) {}

  @Test
  void theSchemaComesFromTheRecord() {
    RowSchema<Sample> schema = RowSchema.of(Sample.class);
    assertThat(schema.struct().fieldNames()).containsExactly("run_id", "feature_view", "row_count", "day", "at", "color",
        "done", "psi");
    StructField[] f = schema.struct().fields();
    assertThat(f[0].dataType()).isEqualTo(DataTypes.LongType);
    assertThat(f[0].nullable()).isFalse();
    assertThat(f[1].nullable()).isFalse();
    assertThat(f[2].nullable()).isTrue();
    assertThat(f[3].dataType()).isEqualTo(DataTypes.DateType);
    assertThat(f[4].dataType()).isEqualTo(DataTypes.StringType);
    assertThat(f[6].dataType()).isEqualTo(DataTypes.BooleanType);
    assertThat(f[7].dataType()).isEqualTo(DataTypes.DoubleType);
  }

  @Test
  void aRowIsTheRecordsValuesInSparksForm() {
    OffsetDateTime at = OffsetDateTime.of(2023, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    Object[] values = RowSchema.of(Sample.class).values(new Sample(7, "v", null, LocalDate.of(1970, 1, 11), at, Color.RED,
        true, 0.5));
    assertThat(values).containsExactly(7L, "v", null, 10, "2023-01-02T03:04:05Z", "RED", true, 0.5);
  }

  @Test
  void aComponentWithoutSqlTypeIsRefusedWhenDeclared() {
    assertThatThrownBy(() -> RowSchema.of(Unsupported.class))
        .hasMessage("Unsupported: no SQL type for a component of type java.util.List");
  }
}
