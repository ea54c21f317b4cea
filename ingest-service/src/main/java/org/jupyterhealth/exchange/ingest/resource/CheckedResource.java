package org.jupyterhealth.exchange.ingest.resource;

import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;

/**
 * What an entry of the FHIR resource store is, by itself: a create, an update or a delete of one resource, with the
 * resource parsed and checked, or the entry's failure.
 *
 * @param index        position in the Bundle
 * @param rejected     the failure of the local checks, or null
 * @param operation    what the entry does
 * @param type         the resource type
 * @param id           the stored resource's id (update, delete), or null
 * @param ifMatch      the version the entry expects (its {@code ifMatch}), or null
 * @param sourceId     the FHIR source the entry names (header, then {@code meta.source}), or null
 * @param upstreamId   the id the source gave the resource (a create), or null
 * @param resource     the parsed resource (create, update), or null
 */
public record CheckedResource(int index, EntryOutcome rejected, Operation operation, String type, String id,
        Long ifMatch, Long sourceId, String upstreamId, Resource resource) {

    public enum Operation { CREATE, UPDATE, DELETE }

    static CheckedResource rejected(int index, EntryOutcome outcome) {
        return new CheckedResource(index, outcome, null, null, null, null, null, null, null);
    }
}
