package io.featurelake.webui.notebooks;

import java.util.Optional;

/**
 * A notebook of the project's {@code notebooks/} folder.
 *
 * @param name the file name without {@code .ipynb}, e.g. {@code 01-explore-and-time-travel}
 * @param title the first heading of its first markdown cell, or the name when there is none
 * @param lastExecution the last headless execution, if any
 */
public record Notebook(String name, String title, Optional<NotebookExecution> lastExecution) {}
