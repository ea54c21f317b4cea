package org.jupyterhealth.exchange.fhir.search;

import java.util.ArrayList;
import java.util.List;

import io.vertx.mutiny.sqlclient.Tuple;

/** A SQL statement and its positional parameters ({@code $1}, {@code $2}, ...), built together so they agree. */
public final class SqlBuilder {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    /** Adds a parameter and returns its placeholder. */
    public String bind(Object value) {
        params.add(value);
        return "$" + params.size();
    }

    public SqlBuilder append(String text) {
        sql.append(text);
        return this;
    }

    public String sql() {
        return sql.toString();
    }

    public Tuple tuple() {
        return Tuple.from(params);
    }
}
