package io.featurelake.sqlcatalog.features;

import java.util.List;

/**
 * A feature-view definition file is invalid. Each problem names the file, the field and the bad
 * value, for example
 * {@code sql-catalog/features/user_activity_daily.yaml: field 'lookback_days' must be an integer >= 0, got -3}.
 * When several files are invalid, the message lists one problem per line.
 */
public class FeatureViewDefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public FeatureViewDefinitionException(String problem) {
    this(List.of(problem), null);
  }

  public FeatureViewDefinitionException(String problem, Throwable cause) {
    this(List.of(problem), cause);
  }

  public FeatureViewDefinitionException(List<String> problems, Throwable cause) {
    super(String.join("\n", problems), cause);
    this.problems = List.copyOf(problems);
  }

  /** One entry per problem, in file order. */
  public List<String> problems() {
    return problems;
  }
}
