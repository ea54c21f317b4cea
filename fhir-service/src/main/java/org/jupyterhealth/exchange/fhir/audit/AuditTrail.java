package org.jupyterhealth.exchange.fhir.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;

import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * What a request did to health data, as the code that did it tells: the kind of access, the resources, whose
 * they are and how many were returned. {@link AuditFilter} turns it into the request's one audit event once the
 * answer's status is known; a request that told nothing is audited only when it was refused (403) on a data path.
 */
@RequestScoped
public class AuditTrail {
    private static final JsonFactory JSON = new JsonFactory();
    private AuditAction action;
    private String resourceType;
    private List<String> ids = List.of();
    private List<Long> patientIds = List.of();
    private Integer count;
    private String query;

    /** A read of one resource of these patients (the resource's own patient, or the patient read). */
    public void read(String resourceType, String id, List<Long> patientIds) {
        set(AuditAction.READ, resourceType, id == null ? List.of() : List.of(id), patientIds, 1, null);
    }

    /** A search: its query as sent, and the patients and number of the resources it returned. */
    public void search(String resourceType, String rawQuery, int count, List<Long> patientIds) {
        set(AuditAction.SEARCH, resourceType, List.of(), patientIds, count, rawQuery);
    }

    /** A write (create, update, delete) of these resources. */
    public void write(AuditAction action, String resourceType, List<String> ids, List<Long> patientIds,
            Integer count) {
        set(action, resourceType, ids, patientIds, count, null);
    }

    /**
     * An upload whose outcome is known: the resources it stored and the patients its entries name (their
     * {@code subject}); never anything else of what was sent.
     */
    public void uploaded(UploadResult result, List<UploadEntry> submitted) {
        List<Long> patients = subjectsOf(submitted);
        Written written = Written.of(result);
        set(AuditAction.CREATE, written.type(), written.ids(), patients, written.ids().size(), null);
    }

    /**
     * An upload accepted for later ({@code Prefer: respond-async}, or one whose outcome did not come in time): what
     * it will store is not known yet, only whose data it is about. The read of its outcome names the resources.
     */
    public void accepted(List<UploadEntry> submitted) {
        List<String> types = new ArrayList<>();
        for (UploadEntry entry : submitted == null ? List.<UploadEntry>of() : submitted) {
            String url = entry.url() == null ? "" : entry.url();
            String type = url.split("[/?]", 2)[0];
            if (!type.isEmpty() && !types.contains(type)) {
                types.add(type);
            }
        }
        String type = types.size() == 1 ? types.get(0) : types.isEmpty() ? "Observation" : "Bundle";
        set(AuditAction.CREATE, type, List.of(), subjectsOf(submitted), null, null);
    }

    /** The patients the entries' subjects name, each once, in order. */
    private static List<Long> subjectsOf(List<UploadEntry> submitted) {
        List<Long> patients = new ArrayList<>();
        if (submitted != null) {
            for (UploadEntry entry : submitted) {
                String reference = subjectReference(entry.resource());
                if (reference.startsWith("Patient/")) {
                    try {
                        Long id = Long.valueOf(reference.substring("Patient/".length()));
                        if (!patients.contains(id)) {
                            patients.add(id);
                        }
                    } catch (NumberFormatException e) {
                        // not a patient of ours: refused by ingest-service, nobody's data
                    }
                }
            }
        }
        return patients;
    }

    /**
     * A read of an upload's outcome ({@code _upload/{id}}): the answer shows the resources the upload stored, of
     * these patients.
     */
    public void uploadRead(UploadResult result, List<Long> patientIds) {
        Written written = Written.of(result);
        set(AuditAction.READ, written.type(), written.ids(), patientIds, written.ids().size(), null);
    }

    /**
     * What an upload wrote, named for its event: an upload of one resource type is that type with plain ids
     * ({@code Observation}, {@code 61}); one that wrote several types (Open mHealth Observations beside a
     * QuestionnaireResponse, say) is a {@code Bundle} whose ids are references ({@code Observation/61},
     * {@code QuestionnaireResponse/4f0c...}), so that every resource is named with its type.
     */
    record Written(String type, List<String> ids) {
        static Written of(UploadResult result) {
            List<String> types = new ArrayList<>();
            List<String> references = new ArrayList<>();
            for (EntryOutcome entry : result.entries()) {
                String type = entry.created() ? "Observation" : entry.stored() ? entry.resourceType() : null;
                if (type == null) {
                    continue;
                }
                if (!types.contains(type)) {
                    types.add(type);
                }
                references.add(type + "/" + (entry.created() ? entry.observationId() : entry.resourceId()));
            }
            if (types.size() <= 1) {
                String type = types.isEmpty() ? "Observation" : types.get(0);
                return new Written(type, references.stream().map(r -> r.substring(type.length() + 1)).toList());
            }
            return new Written("Bundle", references);
        }
    }

    /**
     * The {@code subject.reference} of an uploaded resource. An entry of a Bundle is kept as its raw text (the
     * upload reader does not build its tree): only its top-level members are scanned, to the subject.
     */
    static String subjectReference(JsonNode resource) {
        if (resource == null) {
            return "";
        }
        if (!(resource instanceof POJONode raw && raw.getPojo() instanceof RawValue text)) {
            return resource.path("subject").path("reference").asText("");
        }
        try (JsonParser parser = JSON.createParser(text.rawValue().toString())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("subject".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String member = parser.currentName();
                        if (parser.nextToken() == JsonToken.VALUE_STRING && "reference".equals(member)) {
                            return parser.getText();
                        }
                        parser.skipChildren();
                    }
                    return "";
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: ingest-service refuses the entry, which names nobody
        }
        return "";
    }

    /**
     * The patient a stored resource is about: its {@code subject} or, for the types that name it so
     * (AllergyIntolerance, Immunization), its {@code patient}; null when it names none of ours.
     */
    public static Long patientOf(JsonNode resource) {
        String reference = resource.path("subject").path("reference").asText("");
        if (reference.isEmpty()) {
            reference = resource.path("patient").path("reference").asText("");
        }
        if (!reference.startsWith("Patient/")) {
            return null;
        }
        try {
            return Long.valueOf(reference.substring("Patient/".length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** What the request is about before it is done: refused or failed, it is audited with this. */
    public void intend(AuditAction action, String resourceType, String id) {
        if (this.action == null) {
            set(action, resourceType, id == null ? List.of() : List.of(id), List.of(), null, null);
        }
    }

    private void set(AuditAction action, String resourceType, List<String> ids, List<Long> patientIds, Integer count,
            String query) {
        this.action = action;
        this.resourceType = resourceType;
        this.ids = ids == null ? List.of() : ids;
        this.patientIds = patientIds == null ? List.of() : new ArrayList<>(patientIds);
        this.count = count;
        this.query = query;
    }

    /** The patient a resource's subject reference names ({@code Patient/40001}), as a list of none or one. */
    public static List<Long> subjectOf(Reference subject) {
        if (subject == null || subject.getReferenceElement() == null
                || !"Patient".equals(subject.getReferenceElement().getResourceType())) {
            return List.of();
        }
        try {
            return List.of(Long.valueOf(subject.getReferenceElement().getIdPart()));
        } catch (NumberFormatException e) {
            return List.of();
        }
    }

    /** The ids of resources whose logical ids are patient ids (Patient resources). */
    public static List<Long> idsOf(List<? extends Resource> patients) {
        List<Long> ids = new ArrayList<>(patients.size());
        for (Resource patient : patients) {
            try {
                ids.add(Long.valueOf(patient.getIdPart()));
            } catch (NumberFormatException | NullPointerException e) {
                // not a patient of ours: nobody to name
            }
        }
        return ids;
    }

    boolean told() {
        return action != null;
    }

    AuditAction action() {
        return action;
    }

    String resourceType() {
        return resourceType;
    }

    List<String> ids() {
        return ids;
    }

    List<Long> patientIds() {
        return patientIds;
    }

    Integer count() {
        return count;
    }

    String query() {
        return query;
    }
}
