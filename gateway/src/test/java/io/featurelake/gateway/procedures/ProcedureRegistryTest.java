package io.featurelake.gateway.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.security.ProcedureGrants;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every registered procedure declares its output as a record and has a grant. */
class ProcedureRegistryTest {

  @Test
  void everyProcedureDeclaresItsOutputColumnsOnceAsARecord() {
    List<String> byPosition = new ArrayList<>();
    for (String name : PlatformProcedures.names()) {
      if (!(PlatformProcedures.declaration(name) instanceof TypedProcedure<?>)) {
        byPosition.add(name);
      }
    }
    assertThat(byPosition).as("procedures whose rows are not a RowSchema record").isEmpty();
  }

  @Test
  void theJobProceduresAreGranted() {
    assertThat(ProcedureGrants.table()).containsKeys(JobStatusProcedure.NAME, CancelJobProcedure.NAME);
    assertThat(PlatformProcedures.declaration(JobStatusProcedure.NAME).outputType().fieldNames())
        .startsWith("job_id", "kind", "target", "state", "step", "elapsed_seconds", "queued_ahead", "running_here", "result");
    assertThat(PlatformProcedures.declaration(SyncOnlineProcedure.NAME).outputType().fieldNames()).endsWith("message", "job_id");
    assertThat(PlatformProcedures.declaration(RunMaintenanceProcedure.NAME).outputType().fieldNames())
        .endsWith("message", "job_id");
  }
}
