package io.featurelake.webui.notebooks;

import java.time.Instant;

/**
 * The last headless execution of one notebook, as {@code ./run_notebooks.sh --execute} recorded
 * it in {@code <home>/notebooks/executions.tsv}.
 *
 * @param notebook the notebook's name, without {@code .ipynb}
 * @param passed whether every cell ran (a cell tagged raises-exception may show an error on purpose)
 * @param finishedAt when the execution ended
 * @param seconds how long it took, kernel start and HTML conversion included
 */
public record NotebookExecution(String notebook, boolean passed, Instant finishedAt, long seconds) {}
