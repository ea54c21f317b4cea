package org.jupyterhealth.exchange.admin.client;

import java.util.List;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answers of {@code /clients} (docs/compatibility.md#patient-apps). */
public final class ClientResponses {
    private ClientResponses() {
    }

    /** A patient app. */
    public record ClientResponse(long id, String name, String clientId, String invitationUrl) {
    }

    /** A data source linked to a patient app; its data types are not listed here (always empty). */
    public record ClientDataSource(long id, String name, String type, List<CodeResponse> supportedScopes) {
    }

    /** A new link of a data source, under the original's names. */
    public record NewDataSourceLink(long id, @JsonProperty("client_id") long clientId,
            @JsonProperty("data_source_id") long dataSourceId) {
    }
}
