package org.jupyterhealth.exchange.admin.datasource;

/** A data type a data source supports, as {@code GET /data_sources/{id}/supported_scopes} lists it. */
public record SupportedScopeResponse(long id, DataSourceRef dataSource, CodeResponse scopeCode) {

    /** The data source named by the link ({@code name} empty rather than null). */
    public record DataSourceRef(long id, String name, String type) {
    }
}
