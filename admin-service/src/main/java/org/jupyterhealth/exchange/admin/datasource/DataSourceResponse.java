package org.jupyterhealth.exchange.admin.datasource;

import java.util.List;

/** A data source with the data types it supports. */
public record DataSourceResponse(long id, String name, String type, List<CodeResponse> supportedScopes) {

    DataSourceResponse withSupportedScopes(List<CodeResponse> scopes) {
        return new DataSourceResponse(id, name, type, scopes);
    }
}
