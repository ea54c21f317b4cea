package org.jupyterhealth.exchange.admin.web;

import java.net.URI;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;

/**
 * Which slice of a list the caller asked for, in either style: the guide's {@code limit}/{@code offset} or the
 * original's {@code page}/{@code page_size} ({@code pageSize}). Default 20 items, at most 1000. The
 * {@code next}/{@code previous} links are absolute and in the style the request used (page style when it used none):
 * the request's path and parameters on the exchange's public URL ({@link Paging}), never on the host the request
 * named.
 */
public final class PageRequest {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 1000;

    private final URI self;
    private final boolean offsetStyle;
    private final int size;
    private final long offset;
    private final long page;

    private PageRequest(URI self, boolean offsetStyle, int size, long offset, long page) {
        this.self = self;
        this.offsetStyle = offsetStyle;
        this.size = size;
        this.offset = offset;
        this.page = page;
    }

    /**
     * @param self the request's URL on the public URL, from which the links are made
     * @param defaultSize the page size when the request names none (the original uses 1000 for some lists)
     */
    static PageRequest of(UriInfo uri, URI self, int defaultSize) {
        QueryParams q = QueryParams.of(uri);
        String limit = q.raw("limit");
        String offset = q.raw("offset");
        if (limit != null || offset != null) {
            int size = clamp(parse(limit, defaultSize), defaultSize);
            long start = Math.max(0, parse(offset, 0));
            return new PageRequest(self, true, size, start, 0);
        }
        int size = clamp(parse(q.raw("page_size"), defaultSize), defaultSize);
        String pageParam = q.raw("page");
        long page = 1;
        if (pageParam != null && !pageParam.isBlank()) {
            if ("last".equals(pageParam)) {
                page = -1;
            } else {
                try {
                    page = Long.parseLong(pageParam.trim());
                } catch (NumberFormatException e) {
                    throw invalidPage();
                }
                if (page < 1) {
                    throw invalidPage();
                }
            }
        }
        return new PageRequest(self, false, size, page < 0 ? 0 : (page - 1) * size, page);
    }

    private static NotFoundException invalidPage() {
        return new NotFoundException("Invalid page.");
    }

    private static long parse(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int clamp(long value, int fallback) {
        if (value < 1) {
            return fallback;
        }
        return (int) Math.min(value, MAX_SIZE);
    }

    public int limit() {
        return size;
    }

    /** The first row to return; call {@link #resolve(long)} first when the request may say {@code page=last}. */
    public long offset() {
        return offset;
    }

    /** True when the request asked for the last page by name, so the offset depends on the count. */
    public boolean needsCount() {
        return !offsetStyle && page < 0;
    }

    /** This request with {@code page=last} turned into a number, given the count. */
    public PageRequest resolve(long count) {
        if (!needsCount()) {
            return this;
        }
        long last = Math.max(1, (count + size - 1) / size);
        return new PageRequest(self, false, size, (last - 1) * size, last);
    }

    /** The envelope for these rows; a page-style request past the end is 404 "Invalid page.", as the original. */
    public <T> Page<T> page(long count, List<T> rows) {
        if (!offsetStyle && offset > 0 && offset >= count) {
            throw invalidPage();
        }
        String next = null;
        String previous = null;
        if (offsetStyle) {
            if (offset + size < count) {
                next = link(b -> b.replaceQueryParam("offset", offset + size).replaceQueryParam("limit", size));
            }
            if (offset > 0) {
                long prev = Math.max(0, offset - size);
                previous = link(b -> prev == 0
                        ? b.replaceQueryParam("offset").replaceQueryParam("limit", size)
                        : b.replaceQueryParam("offset", prev).replaceQueryParam("limit", size));
            }
        } else {
            long current = offset / size + 1;
            if (offset + size < count) {
                next = link(b -> b.replaceQueryParam("page", current + 1).replaceQueryParam("page_size", size)
                        .replaceQueryParam("pageSize"));
            }
            if (current > 1) {
                previous = link(b -> current - 1 == 1
                        ? b.replaceQueryParam("page").replaceQueryParam("page_size", size).replaceQueryParam("pageSize")
                        : b.replaceQueryParam("page", current - 1).replaceQueryParam("page_size", size)
                                .replaceQueryParam("pageSize"));
            }
        }
        return new Page<>(count, next, previous, rows);
    }

    /** A whole list in one envelope (lists that are small by nature). */
    public static <T> Page<T> all(List<T> rows) {
        return new Page<>(rows.size(), null, null, rows);
    }

    private String link(Function<UriBuilder, UriBuilder> change) {
        return change.apply(UriBuilder.fromUri(self)).build().toString();
    }
}
