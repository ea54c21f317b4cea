package org.jupyterhealth.exchange.admin.web;

import java.util.List;

/** The admin API's list envelope (docs/compatibility.md#pagination): {@code {count, next, previous, results}}. */
public record Page<T>(long count, String next, String previous, List<T> results) {
}
