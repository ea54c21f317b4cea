package org.jupyterhealth.exchange.fhir.capability;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r5.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r5.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r5.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Element;
import org.hl7.fhir.r5.model.Enumerations.CapabilityStatementKind;
import org.hl7.fhir.r5.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r5.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r5.model.Enumerations.SearchParamType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.UriType;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;

/**
 * Builds the CapabilityStatement: exactly the resource types, interactions and search parameters this exchange
 * serves. It is built once per base URL (no database access) and dated with the service's start, so that its
 * {@code date} is stable across requests.
 */
@Singleton
public class CapabilityStatements {
    static final String EXPECTATION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation";
    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/";
    static final String SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    private final Date published = Date.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final Map<String, CapabilityStatement> byBase = new ConcurrentHashMap<>();

    /** The statement for a base URL such as {@code https://exchange.example/FHIR/R5}. */
    public CapabilityStatement forBase(String origin, String baseUrl) {
        if (byBase.size() > 64) {
            byBase.clear(); // hosts come from requests: keep the memo small
        }
        return byBase.computeIfAbsent(baseUrl, url -> build(origin, url));
    }

    private CapabilityStatement build(String origin, String baseUrl) {
        CapabilityStatement statement = new CapabilityStatement();
        statement.setStatus(PublicationStatus.ACTIVE);
        statement.setKind(CapabilityStatementKind.INSTANCE);
        statement.setDate(published);
        statement.setName("JupyterHealthExchange");
        statement.setTitle("JupyterHealth Exchange FHIR R5 API");
        statement.getSoftware().setName("JupyterHealth Exchange");
        statement.getImplementation().setDescription("JupyterHealth Exchange").setUrl(baseUrl + "/");
        statement.setFhirVersion(FHIRVersion._5_0_0);
        statement.addFormat("json");

        CapabilityStatementRestComponent rest = statement.addRest().setMode(RestfulCapabilityMode.SERVER);
        rest.getSecurity().setCors(true)
                .setDescription("OAuth 2.0 bearer tokens issued by this exchange (SMART on FHIR).")
                .addService(new CodeableConcept(new Coding(SECURITY_SERVICE, "SMART-on-FHIR", "SMART-on-FHIR")));
        // only sub-extensions the SMART oauth-uris extension defines (authorize, token, register, manage): the
        // revocation endpoint is published where SMART puts it, in .well-known/smart-configuration
        Extension uris = new Extension(OAUTH_URIS);
        uris.addExtension("authorize", new UriType(origin + "/o/authorize/"));
        uris.addExtension("token", new UriType(origin + "/o/token/"));
        rest.getSecurity().addExtension(uris);

        for (String type : SearchParameters.types()) {
            CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type);
            expect(resource.addInteraction().setCode(TypeRestfulInteraction.READ));
            expect(resource.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE));
            if (type.equals("Observation")) {
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.CREATE));
                resource.addInteraction().setCode(TypeRestfulInteraction.UPDATE)
                        .setDocumentation("Of the FHIR resource store's Observations (UUID ids) only.");
                resource.addInteraction().setCode(TypeRestfulInteraction.PATCH).setDocumentation(PATCH
                        + " Of the FHIR resource store's Observations (UUID ids) only.");
                resource.addInteraction().setCode(TypeRestfulInteraction.DELETE)
                        .setDocumentation("By the patient the observation belongs to, and nobody else; the FHIR "
                                + "resource store's (UUID ids) as its other resources.");
                resource.setDocumentation("Open mHealth data points (https://w3id.org/openmhealth) wrapped as FHIR "
                        + "R5 Observations: the OMH JSON is the base64 valueAttachment. Reads show only what the "
                        + "patient consented to share with the caller's studies.");
                // our own operation: no published OperationDefinition exists, so the canonical is under our base
                resource.addOperation().setName("series").setDefinition(baseUrl + "/OperationDefinition/"
                        + "Observation-series").setDocumentation("One patient's observations of one code over a "
                                + "range of clinical time (patient, code, date=ge… and date=lt…, at most 400 days), "
                                + "reduced to _buckets time buckets (1 to 2000, 1000 by default) of mean, least and "
                                + "greatest value, as plain JSON for plots; access and consent are the search's.");
            }
            if (!SearchParameters.isMappedType(type)) {
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.CREATE));
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.UPDATE));
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.PATCH).setDocumentation(PATCH));
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.DELETE));
                resource.setVersioning(ResourceVersionPolicy.VERSIONED).setUpdateCreate(false)
                        .setConditionalUpdate(false)
                        .setDocumentation("Kept in the FHIR resource store: written through a FHIR source (the "
                                + "X-JHE-FHIR-Source-ID header or meta.source), by the patient or a permitted "
                                + "practitioner, with the patient's consent to the scope resource-types|" + type
                                + "; read within the same consent.");
            }
            if (STORE_ALSO.contains(type)) {
                // the exchange's own records (integer ids) are read only; a UUID id is the FHIR resource store's
                expect(resource.addInteraction().setCode(TypeRestfulInteraction.CREATE)
                        .setDocumentation("Creates in the FHIR resource store (a UUID id), as its other types."));
                resource.addInteraction().setCode(TypeRestfulInteraction.UPDATE)
                        .setDocumentation("Of the FHIR resource store's (UUID ids) only.");
                resource.addInteraction().setCode(TypeRestfulInteraction.PATCH)
                        .setDocumentation(PATCH + " Of the FHIR resource store's (UUID ids) only.");
                resource.addInteraction().setCode(TypeRestfulInteraction.DELETE)
                        .setDocumentation("Of the FHIR resource store's (UUID ids) only.");
                resource.setVersioning(ResourceVersionPolicy.VERSIONED).setUpdateCreate(false)
                        .setConditionalUpdate(false);
            }
            SearchParameters.of(type).forEach((name, paramType) ->
                    resource.addSearchParam().setName(name).setType(paramType));
            resource.addSearchParam().setName("_source").setType(SearchParamType.URI).setDocumentation(
                    SearchParameters.isMappedType(type)
                            ? "A FHIR source's URL (https://jupyterhealth.org/fhir/fhir-source/<id>, or with :below "
                                    + "https://jupyterhealth.org/fhir/fhir-source for all) searches the FHIR resource "
                                    + "store's " + type + " resources, with the store's parameters of the type; "
                                    + "https://jupyterhealth.org/jhe or none, the exchange's own records; any other "
                                    + "finds nothing."
                            : "A FHIR source's URL (https://jupyterhealth.org/fhir/fhir-source/<id>, or with :below "
                                    + "https://jupyterhealth.org/fhir/fhir-source for all); any other finds nothing.");
            if (type.equals("Patient") || type.equals("Group")) {
                resource.addOperation().setName("export").setDefinition(BULK_DATA + type.toLowerCase(Locale.ROOT)
                        + "-export").setDocumentation(type.equals("Group")
                                ? "The data of a study's patients that the caller may read, as NDJSON files."
                                : "The data of the patients the caller may see, as NDJSON files.");
            }
        }
        // the audit trail: searched only (by a superuser, or by a patient for the events about its own data)
        CapabilityStatementRestResourceComponent audit = rest.addResource().setType("AuditEvent");
        expect(audit.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE));
        audit.setDocumentation("Every access to health data, refused ones and sign-ins included, newest first. A "
                + "superuser searches all events; a patient gets the events about its own data, whatever it asks.");
        audit.addSearchParam().setName("patient").setType(SearchParamType.REFERENCE);
        audit.addSearchParam().setName("agent").setType(SearchParamType.REFERENCE);
        audit.addSearchParam().setName("date").setType(SearchParamType.DATE);
        audit.addSearchParam().setName("type").setType(SearchParamType.TOKEN);
        audit.addSearchParam().setName("outcome").setType(SearchParamType.TOKEN);
        audit.addSearchParam().setName("entity").setType(SearchParamType.REFERENCE);
        rest.addOperation().setName("export").setDefinition(BULK_DATA + "export")
                .setDocumentation("FHIR Bulk Data export of everything the caller may read (superusers only).");
        expect(rest.addInteraction().setCode(SystemRestfulInteraction.BATCH));
        expect(rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION));
        return statement;
    }

    private static final String PATCH = "A JSON object (application/merge-patch+json, or FHIR JSON) whose top-level "
            + "keys replace the stored resource's, null removing one; meta is the store's; the result is checked and "
            + "written as an update, with If-Match.";

    /** The types with records of their own that the FHIR resource store also keeps (by UUID). */
    private static final Set<String> STORE_ALSO = Set.of("Patient", "Group", "Organization",
            "Practitioner", "Device");

    private static void expect(Element element) {
        element.addExtension(EXPECTATION, new CodeType("SHALL"));
    }
}
