package org.jupyterhealth.exchange.admin.client;

import java.time.OffsetDateTime;

/**
 * A practitioner's client-credentials client (docs/compatibility.md#practitioner-clients), with its API key
 * ({@code client_id:secret}, base64) for its owner.
 */
public record PractitionerClientResponse(long id, String label, OffsetDateTime created, String name, String key) {
}
