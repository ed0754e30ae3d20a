package io.featurelake.sqlcatalog.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, with the size of the whole list so a grid can show "41 to 60 of 1,204".
 *
 * @param items the page's items, in the list's order
 * @param offset how many items precede the page
 * @param limit the page size asked for
 * @param total how many items the whole list holds
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {

  public Page {
    items = List.copyOf(items);
  }

  /** Pages a list already in memory (e.g. an Iceberg table's snapshots). */
  public static <T> Page<T> of(List<T> all, PageRequest request) {
    int from = (int) Math.min(all.size(), (long) request.offset());
    int to = (int) Math.min(all.size(), (long) from + request.limit());
    return new Page<>(all.subList(from, to), request.offset(), request.limit(), all.size());
  }

  public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
    return new Page<>(items.stream().<R>map(mapper).toList(), offset, limit, total);
  }

  /** Whether items follow this page. */
  public boolean hasMore() {
    return (long) offset + items.size() < total;
  }
}
