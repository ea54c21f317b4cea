package org.jupyterhealth.exchange.admin.web;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.common.web.PageRule;
import org.jupyterhealth.exchange.common.web.PageRule.Reading;
import org.jupyterhealth.exchange.common.web.PageRule.Refused;

/**
 * Which slice of a list the caller asked for, by the exchange's paging rule ({@link PageRule},
 * docs/compatibility.md#pagination) read as the original's paginators read it ({@link Reading#LENIENT}), and the
 * list's envelope with its {@code next}/{@code previous} links: the request's path and parameters on the exchange's
 * public URL ({@link Paging}), never on the host the request named.
 */
public final class PageRequest {
    public static final int DEFAULT_SIZE = PageRule.DEFAULT_SIZE;
    public static final int MAX_SIZE = PageRule.MAX_SIZE;

    private final URI self;
    private final PageRule rule;

    private PageRequest(URI self, PageRule rule) {
        this.self = self;
        this.rule = rule;
    }

    /**
     * @param self the request's URL on the public URL, from which the links are made
     * @param defaultSize the page size when the request names none (the original uses 1000 for some lists)
     */
    static PageRequest of(UriInfo uri, URI self, int defaultSize) {
        // by their exact names: the rule reads both spellings of the page size itself, and links keep the caller's
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        try {
            return new PageRequest(self, PageRule.of(params::getFirst, defaultSize, Reading.LENIENT));
        } catch (Refused refused) {
            throw new NotFoundException(refused.getMessage());
        }
    }

    public int limit() {
        return rule.limit();
    }

    /** The first row to return; call {@link #resolve(long)} first when the request may say {@code page=last}. */
    public long offset() {
        return rule.offset();
    }

    /** True when the request asked for the last page by name, so the offset depends on the count. */
    public boolean needsCount() {
        return rule.needsCount();
    }

    /** This request with {@code page=last} turned into a number, given the count. */
    public PageRequest resolve(long count) {
        return needsCount() ? new PageRequest(self, rule.resolve(count)) : this;
    }

    /** The envelope for these rows; a page-style request past the end is 404 "Invalid page.", as the original. */
    public <T> Page<T> page(long count, List<T> rows) {
        try {
            rule.checkExists(count);
        } catch (Refused refused) {
            throw new NotFoundException(refused.getMessage());
        }
        return new Page<>(count, rule.next(self, count), rule.previous(self), rows);
    }

    /** A whole list in one envelope (lists that are small by nature). */
    public static <T> Page<T> all(List<T> rows) {
        return new Page<>(rows.size(), null, null, rows);
    }
}
