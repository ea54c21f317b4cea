package org.jupyterhealth.exchange.admin.datasource;

/** A data type newly supported by a data source, as {@code POST /data_sources/{id}/supported_scopes} answers. */
public record SupportedScopeLinkResponse(long id, long dataSourceId, long scopeCodeId) {
}
