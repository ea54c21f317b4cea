package org.jupyterhealth.exchange.fhir.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Paging of the small result sets read from admin-service's records (patients, studies, organizations, data
 * sources): the whole visible set is filtered and sorted in memory, and a page resumes after (or before) the sort
 * key and id of its anchor, like the observation store's keyset, so that records added meanwhile do not shift
 * pages.
 */
public final class ListPaging {
    private ListPaging() {
    }

    /** One page of a list, the list's size, and the paging cursors. */
    public record ListPage<T>(List<T> items, long total, PageCursor next, PageCursor previous) {
    }

    /** An order over records: a text sort key (nulls last) and the id as tiebreaker. */
    public record Order<T>(Function<T, String> key, ToLongFunction<T> id, boolean descending) {

        Comparator<T> comparator() {
            Comparator<String> keys = Comparator.nullsLast(Comparator.naturalOrder());
            Comparator<T> ascending = Comparator.comparing(key, keys).thenComparingLong(id);
            return descending ? Comparator.comparing(key, Comparator.nullsLast(Comparator.<String>reverseOrder()))
                    .thenComparing(Comparator.comparingLong(id).reversed()) : ascending;
        }
    }

    public static <T> ListPage<T> page(List<T> items, Order<T> order, SearchRequest request) {
        List<T> sorted = new ArrayList<>(items);
        Comparator<T> comparator = order.comparator();
        sorted.sort(comparator);
        int count = request.count();
        long total = sorted.size();
        if (request.summaryCount()) {
            return new ListPage<>(List.of(), total, null, null);
        }
        int from;
        int to;
        var cursor = request.cursor();
        if (cursor.isPresent()) {
            PageCursor at = cursor.get();
            int anchor = firstAfter(sorted, order, at);
            if (at.forward()) {
                from = anchor;
                to = Math.min(sorted.size(), from + count);
            } else {
                to = firstAtOrAfter(sorted, order, at);
                from = Math.max(0, to - count);
            }
        } else {
            from = (int) Math.min(sorted.size(), request.page().map(p -> (p - 1L) * count).orElse(0L));
            to = Math.min(sorted.size(), from + count);
        }
        List<T> shown = sorted.subList(from, to);
        PageCursor next = to < sorted.size() && !shown.isEmpty() ? cursorAt(shown.get(shown.size() - 1), order, true,
                total) : null;
        PageCursor previous = from > 0 && !shown.isEmpty() ? cursorAt(shown.get(0), order, false, total) : null;
        return new ListPage<>(List.copyOf(shown), total, next, previous);
    }

    private static <T> PageCursor cursorAt(T item, Order<T> order, boolean forward, long total) {
        String key = order.key().apply(item);
        return new PageCursor(forward, key == null ? "" : "k" + key, order.id().applyAsLong(item), 0, total);
    }

    /** Index of the first item strictly after the anchor. */
    private static <T> int firstAfter(List<T> sorted, Order<T> order, PageCursor at) {
        for (int i = 0; i < sorted.size(); i++) {
            if (compareToAnchor(sorted.get(i), order, at) > 0) {
                return i;
            }
        }
        return sorted.size();
    }

    /** Index of the first item at or after the anchor. */
    private static <T> int firstAtOrAfter(List<T> sorted, Order<T> order, PageCursor at) {
        for (int i = 0; i < sorted.size(); i++) {
            if (compareToAnchor(sorted.get(i), order, at) >= 0) {
                return i;
            }
        }
        return sorted.size();
    }

    private static <T> int compareToAnchor(T item, Order<T> order, PageCursor at) {
        String anchorKey = at.key().isEmpty() ? null : at.key().substring(1);
        String key = order.key().apply(item);
        Comparator<String> keys = Comparator.nullsLast(order.descending() ? Comparator.<String>reverseOrder()
                : Comparator.<String>naturalOrder());
        int byKey = keys.compare(key, anchorKey);
        if (byKey != 0) {
            return byKey;
        }
        int byId = Long.compare(order.id().applyAsLong(item), at.id());
        return order.descending() ? -byId : byId;
    }
}
