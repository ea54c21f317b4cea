package org.jupyterhealth.exchange.common.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The admin API's paging rule (docs/compatibility.md#pagination), the same for every collection whichever service
 * serves it: the guide's {@code limit}/{@code offset}, or the original's {@code page} (1-based, or {@code last})
 * with {@code page_size} or {@code pageSize}; default 20 items (or the list's own default), at most 1000. A
 * page-style request for a page past the end is 404 {@code "Invalid page."}; past the end in offset style is an empty
 * page. {@code next} and {@code previous} are built on the URL given (the request's, on the exchange's public URL) in
 * the style the request used, and say which items follow and precede.
 *
 * <p>A refusal is a {@link Refused}, which each service answers in its own dialect. The rule depends on no service:
 * the query is read through a function (first value of a parameter, or null), so that plain tests reach every edge.
 */
public final class PageRule {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 1000;
    public static final String INVALID_PAGE = "Invalid page.";
    /** The value of {@code page} naming the last page, whose position depends on the count. */
    public static final String LAST = "last";

    private static final String PAGE_SIZE = "page_size";
    private static final String PAGE_SIZE_CAMEL = "pageSize";

    /**
     * How a list reads its paging parameters. The admin-service lists read them as the original's paginators did, as
     * its clients expect: a limit, offset or page size that is not a number, or is below its minimum, means the
     * default. {@code /api/v1/observations} never had an original counterpart, and judges them as it judges its
     * filters: such a value is a 400 naming the parameter. The page itself ({@code page=0}, {@code page=x}) is 404
     * {@code "Invalid page."} for both, as in the original. Either way the links spell the page size as the caller
     * did ({@code pageSize} stays {@code pageSize}), so that a client that follows them keeps reading its own
     * parameter back.
     */
    public enum Reading {
        /** The original's: malformed sizes and offsets fall back to their defaults. */
        LENIENT,
        /** Malformed sizes and offsets are refused (400 naming the parameter). */
        STRICT
    }

    /** A request this rule refuses: 404 {@code "Invalid page."} or a 400 naming a parameter. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String parameter;

        private Refused(int status, String parameter, String message) {
            super(message, null, false, false);
            this.status = status;
            this.parameter = parameter;
        }

        static Refused invalidPage() {
            return new Refused(404, null, INVALID_PAGE);
        }

        static Refused malformed(String parameter, int minimum) {
            return new Refused(400, parameter, parameter + " must be a whole number of at least " + minimum + ".");
        }

        /** 404 for a page that does not exist, 400 for a malformed parameter. */
        public int status() {
            return status;
        }

        /** The parameter at fault, or null for a page that does not exist. */
        public String parameter() {
            return parameter;
        }
    }

    private final boolean offsetStyle;
    private final int size;
    private final long offset;
    /** The page number; 0 in offset style, -1 while {@code page=last} awaits the count. */
    private final long page;
    /** The name the page size has in the links of a page-style request. */
    private final String sizeKey;
    private final Reading reading;

    private PageRule(boolean offsetStyle, int size, long offset, long page, String sizeKey, Reading reading) {
        this.offsetStyle = offsetStyle;
        this.size = size;
        this.offset = offset;
        this.page = page;
        this.sizeKey = sizeKey;
        this.reading = reading;
    }

    /**
     * The slice a request asks for.
     *
     * @param query the first value of a query parameter by name, or null when the request has none
     * @param defaultSize the page size when the request names none ({@link #DEFAULT_SIZE}, or {@link #MAX_SIZE} on
     *        the lists the original never paged)
     * @throws Refused for a page that cannot exist or, when {@link Reading#STRICT}, a malformed parameter
     */
    public static PageRule of(Function<String, String> query, int defaultSize, Reading reading) {
        String limit = query.apply("limit");
        String offset = query.apply("offset");
        if (limit != null || offset != null) {
            int size = size(limit, "limit", defaultSize, reading);
            long start = number(offset, "offset", 0, 0, reading);
            return new PageRule(true, size, start, 0, PAGE_SIZE, reading);
        }
        String snake = query.apply(PAGE_SIZE);
        String camel = snake == null ? query.apply(PAGE_SIZE_CAMEL) : null;
        String sizeKey = camel != null ? PAGE_SIZE_CAMEL : PAGE_SIZE;
        int size = size(snake != null ? snake : camel, snake != null ? PAGE_SIZE : PAGE_SIZE_CAMEL, defaultSize,
                reading);
        long page = page(query.apply("page"), size);
        return new PageRule(false, size, page < 0 ? 0 : (page - 1) * size, page, sizeKey, reading);
    }

    private static long page(String raw, int size) {
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        if (LAST.equals(raw)) {
            return -1;
        }
        long page;
        try {
            page = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw Refused.invalidPage();
        }
        // a page whose first item lies beyond any count is past the end whatever the list holds
        if (page < 1 || page - 1 > Long.MAX_VALUE / size) {
            throw Refused.invalidPage();
        }
        return page;
    }

    private static int size(String raw, String name, int defaultSize, Reading reading) {
        return (int) Math.min(MAX_SIZE, number(raw, name, defaultSize, 1, reading));
    }

    /** A whole number of at least {@code minimum}; a blank one is the fallback, a malformed one as {@code reading}. */
    private static long number(String raw, String name, long fallback, long minimum, Reading reading) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = reading == Reading.STRICT ? Integer.parseInt(raw.trim()) : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            if (reading == Reading.STRICT) {
                throw Refused.malformed(name, (int) minimum);
            }
            return fallback;
        }
        if (value < minimum) {
            if (reading == Reading.STRICT) {
                throw Refused.malformed(name, (int) minimum);
            }
            // the original's paginators: a limit or page size below 1 is the default, an offset below 0 is 0
            return minimum == 0 ? 0 : fallback;
        }
        return value;
    }

    /** How many items a page holds. */
    public int limit() {
        return size;
    }

    /** The first item to return; {@link #resolve(long)} first when {@link #needsCount()}. */
    public long offset() {
        return offset;
    }

    /** True when the request asked for the last page by name, so that where it starts depends on the count. */
    public boolean needsCount() {
        return !offsetStyle && page < 0;
    }

    /** This request with {@code page=last} turned into a page number, given the count (page 1 of an empty list). */
    public PageRule resolve(long count) {
        if (!needsCount()) {
            return this;
        }
        long last = Math.max(1, (count + size - 1) / size);
        return new PageRule(false, size, (last - 1) * size, last, sizeKey, reading);
    }

    /**
     * Refuses a page-style request for a page past the end (the first page always exists, even of an empty list).
     *
     * @throws Refused 404 {@code "Invalid page."}
     */
    public void checkExists(long count) {
        if (!offsetStyle && offset > 0 && offset >= count) {
            throw Refused.invalidPage();
        }
    }

    /** The link to the next page, or null when this one reaches the end of {@code count} items. */
    public String next(URI self, long count) {
        // compared without adding to the offset, which a lenient request may set as high as a long goes
        if (offset >= count - size) {
            return null;
        }
        return offsetStyle ? link(self, "offset", offset + size, "limit", size) : pageLink(self, offset / size + 2);
    }

    /** The link to the previous page, or null on the first. */
    public String previous(URI self) {
        if (offset <= 0) {
            return null;
        }
        if (offsetStyle) {
            long previous = Math.max(0, offset - size);
            return link(self, "offset", previous == 0 ? null : previous, "limit", size);
        }
        return pageLink(self, offset / size);
    }

    /** A page-style link; page 1 is the list's address without a page number. */
    private String pageLink(URI self, long number) {
        String link = link(self, "page", number == 1 ? null : number, sizeKey, size);
        // leniently, the spelling the size was not read from leaves the links rather than contradict them
        return reading == Reading.LENIENT && sizeKey.equals(PAGE_SIZE) ? link(URI.create(link), PAGE_SIZE_CAMEL, null)
                : link;
    }

    /**
     * {@code self} with each named parameter replaced: its occurrences removed and, unless its value is null, the
     * parameter added at the end. The other parameters stay as the caller wrote them.
     *
     * @param changes name, value, name, value...
     */
    private static String link(URI self, Object... changes) {
        List<String> parameters = new ArrayList<>();
        if (self.getRawQuery() != null && !self.getRawQuery().isEmpty()) {
            parameters.addAll(List.of(self.getRawQuery().split("&")));
        }
        for (int i = 0; i < changes.length; i += 2) {
            String name = (String) changes[i];
            parameters.removeIf(parameter -> parameter.equals(name) || parameter.startsWith(name + "="));
            if (changes[i + 1] != null) {
                parameters.add(name + "=" + changes[i + 1]);
            }
        }
        String address = self.toString();
        int query = address.indexOf('?');
        String base = query < 0 ? address : address.substring(0, query);
        return parameters.isEmpty() ? base : base + "?" + String.join("&", parameters);
    }
}
