package io.featurelake.webui.common;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import io.featurelake.sqlcatalog.paging.Page;
import io.featurelake.sqlcatalog.paging.PageRequest;
import java.util.function.Function;

/**
 * Grids backed by the core's paged reads: the grid asks for the rows it shows (offset, limit)
 * and for the total, so no page ever loads a whole list.
 */
public final class Paged {

  private Paged() {}

  public static <T> Grid<T> grid(Class<T> type) {
    Grid<T> grid = new Grid<>(type, false);
    grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
    grid.setPageSize(50);
    grid.setAllRowsVisible(false);
    return grid;
  }

  public static <T> void bind(Grid<T> grid, Function<PageRequest, Page<T>> reader) {
    grid.setItems(query -> reader.apply(PageRequest.of(query.getOffset(), query.getLimit())).items().stream(),
        query -> (int) Math.min(Integer.MAX_VALUE, reader.apply(PageRequest.of(0, 1)).total()));
  }
}
