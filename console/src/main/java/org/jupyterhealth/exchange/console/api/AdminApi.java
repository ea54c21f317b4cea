package org.jupyterhealth.exchange.console.api;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jupyterhealth.exchange.console.api.AdminModel.ClientLink;
import org.jupyterhealth.exchange.console.api.AdminModel.Client;
import org.jupyterhealth.exchange.console.api.AdminModel.Code;
import org.jupyterhealth.exchange.console.api.AdminModel.ConsentsView;
import org.jupyterhealth.exchange.console.api.AdminModel.DataSource;
import org.jupyterhealth.exchange.console.api.AdminModel.DataSourceLink;
import org.jupyterhealth.exchange.console.api.AdminModel.Member;
import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.PractitionerRecord;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.ScopeRequest;
import org.jupyterhealth.exchange.console.api.AdminModel.Study;

import io.smallrye.mutiny.Uni;

/**
 * The admin API ({@code /api/v1}) as the signed-in user sees it: every call carries that user's access token
 * ({@link UserToken}), so admin-service decides what they may read and do, as for any other client.
 */
@RegisterRestClient(configKey = "admin")
@RegisterClientHeaders(UserToken.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface AdminApi {

    @GET
    @Path("/users/profile")
    Uni<Profile> profile();

    @GET
    @Path("/users/organizations")
    Uni<List<Organization>> organizations();

    @GET
    @Path("/organizations/{id}")
    Uni<Organization> organization(@PathParam("id") long id);

    @GET
    @Path("/organizations/{id}/tree")
    Uni<Organization> tree(@PathParam("id") long id);

    @GET
    @Path("/organizations/{id}/users")
    Uni<List<Member>> members(@PathParam("id") long id);

    /** Ends a practitioner's membership ({@code jheUserId}: the member's user id). */
    @DELETE
    @Path("/organizations/{id}/remove_user")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> removeMember(@PathParam("id") long id, MemberRef member);

    record MemberRef(long jheUserId) {
    }

    /** Adds a practitioner to the organization, or changes their role there. */
    @POST
    @Path("/organizations/{id}/user")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> addMember(@PathParam("id") long id, Membership membership);

    /** {@code organizationPartitionerRole} is the admin API's spelling (the original's). */
    record Membership(long jheUserId, String organizationPartitionerRole) {
    }

    /** The registries a superuser keeps: a page of each ({@code limit}, {@code offset}). */
    @GET
    @Path("/clients")
    Uni<Page<com.fasterxml.jackson.databind.JsonNode>> clients(@QueryParam("limit") int limit,
            @QueryParam("offset") long offset);

    /** One app (anyone signed in may read it; only superusers change it). */
    @GET
    @Path("/clients/{id}")
    Uni<Client> client(@PathParam("id") long id);

    /**
     * Registers an app (superusers only): a public OAuth client in identity-service, so the answer carries no
     * secret. A wrong field is a 400 naming it; a client id taken already a 409.
     */
    @POST
    @Path("/clients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Client> createClient(ClientFields client);

    /** Changes an app's name and invitation URL (superusers only); its client id is never changed. */
    @PATCH
    @Path("/clients/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Client> changeClient(@PathParam("id") long id, ClientFields client);

    /** Deletes an app here and in identity-service (superusers only). */
    @DELETE
    @Path("/clients/{id}")
    Uni<Void> deleteClient(@PathParam("id") long id);

    /** {@code clientId} null on a change (it cannot be changed). */
    record ClientFields(String name, String clientId, String invitationUrl) {
    }

    /** The data sources an app reads from. */
    @GET
    @Path("/clients/{id}/data_sources")
    Uni<List<DataSource>> clientDataSources(@PathParam("id") long id);

    @POST
    @Path("/clients/{id}/data_sources")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> linkClientDataSource(@PathParam("id") long id, DataSourceRef dataSource);

    @DELETE
    @Path("/clients/{id}/data_sources")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> unlinkClientDataSource(@PathParam("id") long id, DataSourceRef dataSource);

    @GET
    @Path("/data_sources")
    Uni<Page<com.fasterxml.jackson.databind.JsonNode>> dataSources(@QueryParam("limit") int limit,
            @QueryParam("offset") long offset);

    /** A new data source (superusers only). */
    @POST
    @Path("/data_sources")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> createDataSource(NewDataSource dataSource);

    /** {@code type}: {@code personal_device}, {@code medical_device} or {@code patient_app}. */
    record NewDataSource(String name, String type) {
    }

    /** Deletes a data source (superusers only). */
    @DELETE
    @Path("/data_sources/{id}")
    Uni<Void> deleteDataSource(@PathParam("id") long id);

    @GET
    @Path("/jhe_settings")
    Uni<Page<com.fasterxml.jackson.databind.JsonNode>> settings(@QueryParam("limit") int limit,
            @QueryParam("offset") long offset);

    @GET
    @Path("/jhe_settings/{id}")
    Uni<com.fasterxml.jackson.databind.JsonNode> setting(@PathParam("id") long id);

    /**
     * Changes a setting's value (superusers only): the value as typed, which the admin API reads by the setting's
     * type and refuses with a 400 naming the field when it is not one.
     */
    @PATCH
    @Path("/jhe_settings/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> changeSetting(@PathParam("id") long id, SettingValue value);

    record SettingValue(String value) {
    }

    @GET
    @Path("/practitioners")
    Uni<Page<com.fasterxml.jackson.databind.JsonNode>> practitioners(@QueryParam("limit") int limit,
            @QueryParam("offset") long offset);

    /** One practitioner with its organizations and roles (superusers only). */
    @GET
    @Path("/practitioners/{id}")
    Uni<PractitionerRecord> practitioner(@PathParam("id") long id);

    /**
     * A practitioner with a new account (or the practitioner record of an existing account), a member of
     * {@code organizationId} when given (superusers only). A new account's activation link is e-mailed, or (where
     * the exchange sends no e-mail) in the answer.
     */
    @POST
    @Path("/practitioners")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<PractitionerRecord> createPractitioner(NewPractitioner practitioner);

    record NewPractitioner(String telecomEmail, String nameGiven, String nameFamily, Long organizationId) {
    }

    /** Changes a practitioner's names (superusers only); the e-mail is the account's sign-in name and stays. */
    @PATCH
    @Path("/practitioners/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<PractitionerRecord> renamePractitioner(@PathParam("id") long id, PractitionerNames names);

    record PractitionerNames(String nameGiven, String nameFamily) {
    }

    /** The account with this e-mail address ({@code {}} when there is none). */
    @GET
    @Path("/users/search_by_email")
    Uni<com.fasterxml.jackson.databind.JsonNode> userByEmail(@QueryParam("email") String email);

    @GET
    @Path("/organizations/{id}/studies")
    Uni<List<Study>> studies(@PathParam("id") long organizationId);

    @GET
    @Path("/studies/{id}")
    Uni<Study> study(@PathParam("id") long id);

    @GET
    @Path("/studies/{id}/patients")
    Uni<Page<Patient>> studyPatients(@PathParam("id") long id, @QueryParam("limit") int limit,
            @QueryParam("offset") long offset);

    @GET
    @Path("/studies/{id}/scope_requests")
    Uni<List<ScopeRequest>> scopeRequests(@PathParam("id") long id);

    @GET
    @Path("/studies/{id}/data_sources")
    Uni<List<DataSourceLink>> studyDataSources(@PathParam("id") long id);

    @GET
    @Path("/studies/{id}/clients")
    Uni<List<ClientLink>> studyClients(@PathParam("id") long id);

    /** Enrols patients of the study's organization (managers and members of it). */
    @POST
    @Path("/studies/{id}/patients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> enrolPatients(@PathParam("id") long id, PatientIds patients);

    /** Takes patients out of the study (their consents in it stay recorded, as the admin API keeps them). */
    @DELETE
    @Path("/studies/{id}/patients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> removePatients(@PathParam("id") long id, PatientIds patients);

    record PatientIds(List<Long> patientIds) {
    }

    /** Asks the study's patients for one more type of data (by the code's id). */
    @POST
    @Path("/studies/{id}/scope_requests")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> requestScope(@PathParam("id") long id, ScopeCodeRef code);

    @DELETE
    @Path("/studies/{id}/scope_requests")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> withdrawScope(@PathParam("id") long id, ScopeCodeRef code);

    record ScopeCodeRef(long scopeCodeId) {
    }

    @POST
    @Path("/studies/{id}/data_sources")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> linkDataSource(@PathParam("id") long id, DataSourceRef dataSource);

    @DELETE
    @Path("/studies/{id}/data_sources")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> unlinkDataSource(@PathParam("id") long id, DataSourceRef dataSource);

    record DataSourceRef(long dataSourceId) {
    }

    /** Links an app (an OAuth client) to the study, so that it may ask the study's patients for their data. */
    @POST
    @Path("/studies/{id}/clients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> linkClient(@PathParam("id") long id, ClientRef client);

    @DELETE
    @Path("/studies/{id}/clients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> unlinkClient(@PathParam("id") long id, ClientRef client);

    record ClientRef(long clientId) {
    }

    /** Every type of data the exchange knows (the codes a study may ask for). */
    @GET
    @Path("/data_sources/all_scopes")
    Uni<List<Code>> allScopes();

    /**
     * Adds a patient to an organization (managers and members of it); an e-mail that already has an account reuses
     * it. The new record, with its id.
     */
    @POST
    @Path("/patients")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Patient> createPatient(NewPatient patient);

    /** The admin API's patient create; {@code birthDate} {@code YYYY-MM-DD} or null. */
    record NewPatient(long organizationId, String telecomEmail, String nameGiven, String nameFamily,
            String birthDate) {
    }

    @GET
    @Path("/patients")
    Uni<Page<Patient>> patients(@QueryParam("organization_id") long organizationId, @QueryParam("limit") int limit,
            @QueryParam("offset") long offset, @QueryParam("search") String search,
            @QueryParam("ordering") String ordering);

    /** The signed-in patient's own record (a patient's profile carries no name). */
    @GET
    @Path("/patients/me")
    Uni<Patient> me();

    @GET
    @Path("/patients/{id}")
    Uni<Patient> patient(@PathParam("id") long id);

    @GET
    @Path("/patients/{id}/consents")
    Uni<ConsentsView> consents(@PathParam("id") long id);

    /**
     * A new invitation link for the patient's app (an authorization code for the patient inside it), e-mailed to
     * the patient as well when {@code sendEmail}.
     */
    @GET
    @Path("/patients/{id}/invitation_link")
    Uni<InvitationLink> invitationLink(@PathParam("id") long id, @QueryParam("send_email") boolean sendEmail);

    record InvitationLink(String invitationLink) {
    }

    /** Records first decisions (409 when one is recorded already). */
    @POST
    @Path("/patients/{id}/consents")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> recordConsents(@PathParam("id") long id, ConsentDecisions decisions);

    /** Changes recorded decisions (404 when one was never recorded). */
    @PATCH
    @Path("/patients/{id}/consents")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Void> changeConsents(@PathParam("id") long id, ConsentDecisions decisions);

    /** {@code {"studyScopeConsents": [{studyId, scopeConsents: [{codingSystem, codingCode, consented}]}]}}. */
    record ConsentDecisions(List<StudyDecisions> studyScopeConsents) {
        public static ConsentDecisions one(long studyId, String codingSystem, String codingCode, boolean consented) {
            return new ConsentDecisions(List.of(new StudyDecisions(studyId,
                    List.of(new ScopeDecision(codingSystem, codingCode, consented)))));
        }
    }

    record StudyDecisions(long studyId, List<ScopeDecision> scopeConsents) {
    }

    record ScopeDecision(String codingSystem, String codingCode, boolean consented) {
    }
}
