package org.jupyterhealth.exchange.admin.account;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.oidc.client.reactive.filter.OidcClientRequestReactiveFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * identity-service's {@code /internal} API (docs/internal-api.md), called with admin-service's client-credentials
 * token. Built by {@link IdentityClients} against identity-service's base URL, with its timeouts.
 *
 * <p>It fails closed, as every call to a sibling service does (docs/architecture.md#access-decisions): an answer that
 * is no decision of identity-service ({@link #noDecision}) is this service's 503 already, and its callers answer a
 * timeout or an unreachable identity-service with the same 503 ({@link #UNAVAILABLE}); only identity-service's
 * decisions (404, 409, a 400 refusal) reach them as its statuses.
 */
@Path("/internal")
@RegisterProvider(OidcClientRequestReactiveFilter.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface IdentityClient {
    /** The 503's sentence when identity-service gives no decision. */
    String UNAVAILABLE = "The account service is unavailable; try again later.";

    /**
     * identity-service failing (5xx) or refusing admin-service's service token (401) has decided nothing about the
     * request: 503, never a guess. Other statuses stay identity-service's answer for the caller to judge.
     */
    @ClientExceptionMapper
    static RuntimeException noDecision(Response response) {
        int status = response.getStatus();
        if (status >= 500 || status == 401) {
            Logger.getLogger(IdentityClient.class).warnf("identity-service answered %d", status);
            return new UnavailableException(UNAVAILABLE);
        }
        return null;
    }

    /** 201 with a new account, 200 with the existing one of this e-mail. */
    @POST
    @Path("/accounts")
    Uni<RestResponse<AccountRecord>> findOrCreateAccount(NewAccount account);

    @GET
    @Path("/accounts/{id}")
    Uni<AccountRecord> account(@PathParam("id") long id);

    @PATCH
    @Path("/accounts/{id}")
    Uni<AccountRecord> updateAccount(@PathParam("id") long id, AccountChange change);

    @DELETE
    @Path("/accounts/{id}")
    Uni<Void> deleteAccount(@PathParam("id") long id);

    /**
     * Undoes this service's creation of an account: identity-service deletes it only if nothing can have used it
     * since (204), answers 404 when it is already gone and 409 when it is in use (then it stays).
     */
    @DELETE
    @Path("/accounts/{id}")
    Uni<Void> deleteUnusedAccount(@PathParam("id") long id, @QueryParam("onlyIfUnused") boolean onlyIfUnused);

    /**
     * A new one-time activation link for an account created without a password (201); every earlier unused link of
     * the account stops working. 404 no such account, 409 the account already has a password.
     */
    @POST
    @Path("/accounts/{id}/activation")
    Uni<ActivationLink> issueActivation(@PathParam("id") long id);

    /**
     * Which accounts an organization requires to sign in with a passkey, and which no longer (204); the person's own
     * choice is not changed. Ids of no account are skipped.
     */
    @PUT
    @Path("/accounts/passkey-requirements")
    Uni<Void> setPasskeyRequirements(PasskeyRequirements requirements);

    @POST
    @Path("/clients")
    Uni<ClientRecord> createClient(NewClient client);

    @PATCH
    @Path("/clients/{id}")
    Uni<ClientRecord> updateClient(@PathParam("id") long id, ClientChange change);

    @DELETE
    @Path("/clients/{id}")
    Uni<Void> deleteClient(@PathParam("id") long id);

    @POST
    @Path("/authorization-codes")
    Uni<IssuedCode> issueAuthorizationCode(NewAuthorizationCode code);

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewAccount(String email, String firstName, String lastName, String userType) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AccountChange(String firstName, String lastName, String userType) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountRecord(long id, String email, String firstName, String lastName, String userType,
            boolean isSuperuser) {
    }

    /** The link carries a credential: it goes to the person (e-mail or the superuser's answer), never to a log. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ActivationLink(String link, Instant expiresAt) {
    }

    record PasskeyRequirements(String reason, List<Long> required, List<Long> notRequired) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewClient(String name, String clientId, String clientType, List<String> grantTypes,
            List<String> redirectUris, String invitationUrl, Long ownerUserId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClientChange(String name, String invitationUrl) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientRecord(long id, String clientId, String clientSecret, String name, String clientType,
            List<String> grantTypes, List<String> redirectUris, String invitationUrl, Long ownerUserId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewAuthorizationCode(long userId, long clientId, String codeChallenge, String codeChallengeMethod,
            String scope, String redirectUri, long expiresInSeconds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IssuedCode(String code, String clientId, String redirectUri, String expiresAt) {
    }
}
