package io.featurelake.webui.notebooks.ui;

import com.vaadin.flow.component.html.Span;
import io.featurelake.webui.common.Badge;
import io.featurelake.webui.common.Format;
import io.featurelake.webui.notebooks.NotebookExecution;

/** How the notebook pages write an execution. */
final class NotebookText {

  private NotebookText() {}

  static Span badge(boolean passed) {
    return Badge.of(passed ? "PASSED" : "FAILED");
  }

  static String finished(NotebookExecution e) {
    return Format.timeMillis(e.finishedAt().toEpochMilli());
  }

  static String seconds(long s) {
    return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }

  static String executeCommand(String name) {
    return "./run_notebooks.sh --execute " + name;
  }
}
