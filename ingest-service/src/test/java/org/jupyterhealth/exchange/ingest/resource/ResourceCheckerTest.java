package org.jupyterhealth.exchange.ingest.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.upload.UploadEntry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;

/** An invalid resource's failure names the element at fault by its path, wherever in the resource it is. */
class ResourceCheckerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceChecker CHECKER = new ResourceChecker(FhirContext.forR5Cached());

    static ObjectNode questionnaireResponse() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"resourceType": "QuestionnaireResponse", "status": "completed",
                 "questionnaire": "https://example.org/Questionnaire/phq-9", "authored": "2025-03-01T10:00:00Z",
                 "item": [{"linkId": "1", "answer": [{"valueInteger": 2}]},
                          {"linkId": "2", "answer": [{"valueDate": "2025-03-01"}]}]}
                """);
    }

    static CheckedResource check(ObjectNode resource) {
        return CHECKER.check(0, new UploadEntry(resource, "POST", "QuestionnaireResponse", null, 90001L));
    }

    @Test
    void aValidResourceIsAccepted() throws Exception {
        CheckedResource checked = check(questionnaireResponse());
        assertThat(checked.rejected()).isNull();
        assertThat(checked.resource().fhirType()).isEqualTo("QuestionnaireResponse");
    }

    @Test
    void aCodeOutsideItsRequiredValueSetIsNamedByItsPath() throws Exception {
        ObjectNode resource = questionnaireResponse();
        resource.put("status", "bogus");
        CheckedResource checked = check(resource);
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().expression()).isEqualTo("QuestionnaireResponse.status");
        assertThat(checked.rejected().diagnostics()).contains("bogus");
    }

    @Test
    void theMappedTypesOfTheStoreAreValidatedAsTheOthers() throws Exception {
        ObjectNode patient = (ObjectNode) JSON.readTree("""
                {"resourceType": "Patient", "name": [{"family": "Clinic"}], "gender": "female"}
                """);
        assertThat(CHECKER.check(0, new UploadEntry(patient, "POST", "Patient", null, 90001L)).rejected()).isNull();
        patient.put("gender", "bogus");
        CheckedResource checked = CHECKER.check(0, new UploadEntry(patient, "POST", "Patient", null, 90001L));
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().expression()).isEqualTo("Patient.gender");
        ObjectNode group = (ObjectNode) JSON.readTree("""
                {"resourceType": "Group", "name": "Clinic", "type": "person"}
                """);
        checked = CHECKER.check(0, new UploadEntry(group, "POST", "Group", null, 90001L));
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().expression()).isEqualTo("Group.membership");
    }

    @Test
    void aNestedMalformedValueIsNamedByItsFullPath() throws Exception {
        ObjectNode resource = questionnaireResponse();
        ((ObjectNode) resource.get("item").get(1).get("answer").get(0)).put("valueDate", "yesterday");
        CheckedResource checked = check(resource);
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().expression()).isEqualTo("QuestionnaireResponse.item[1].answer[0].valueDate");
    }

    @Test
    void aNestedUnknownElementIsNamedByItsFullPath() throws Exception {
        ObjectNode resource = questionnaireResponse();
        ((ObjectNode) resource.get("item").get(1)).put("colour", "blue");
        CheckedResource checked = check(resource);
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().expression()).isEqualTo("QuestionnaireResponse.item[1].colour");
    }

    @Test
    void aMissingRequiredElementIsNamedByItsPath() throws Exception {
        ObjectNode resource = questionnaireResponse();
        ((ObjectNode) resource.get("item").get(0)).remove("linkId");
        CheckedResource checked = check(resource);
        assertThat(checked.rejected().expression()).isEqualTo("QuestionnaireResponse.item[0].linkId");
    }
}
