package org.jupyterhealth.exchange.ingest.upload;

import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;

/**
 * admin-service's upload decisions ({@code docs/internal-api.md}): one call per upload answers, for every entry,
 * whether the user may upload that code for that patient with that data source (steps 3–6 and 9–10 of the
 * original's checks of a create). Called with ingest-service's own client-credentials token.
 */
@RegisterRestClient(configKey = "admin")
@Path("/internal/access")
@OidcClientFilter
public interface AccessDecisionClient {

    @POST
    @Path("/uploads")
    Uni<Decisions> decideUploads(Question question);

    /** The question: may {@code userId} upload each of these? */
    record Question(long userId, List<Item> entries) {
    }

    record Item(Long patientId, String system, String code, Long dataSourceId) {
    }

    /** The answer, one decision per item, in order. */
    record Decisions(List<Decision> entries) {
    }

    /** {@code status} 201 means allowed; {@code codeId} is the CodeableConcept id of the code when it is known. */
    record Decision(int status, String detail, Long codeId) {
        public boolean allowed() {
            return status == 201;
        }
    }
}
