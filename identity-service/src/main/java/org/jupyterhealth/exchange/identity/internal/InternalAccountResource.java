package org.jupyterhealth.exchange.identity.internal;

import jakarta.annotation.security.RolesAllowed;
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

import org.jupyterhealth.exchange.identity.account.AccountService;
import org.jupyterhealth.exchange.identity.account.ActivationService;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;

/** Accounts, for admin-service only (docs/internal-api.md): service tokens with scope {@code internal}. */
@Path("/internal/accounts")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalAccountResource {
    private final AccountService accounts;
    private final ActivationService activations;

    public InternalAccountResource(AccountService accounts, ActivationService activations) {
        this.accounts = accounts;
        this.activations = activations;
    }

    /** 201 when created, 200 when an account with that e-mail (in any case) exists; {@code created} says which. */
    @POST
    public Uni<Response> register(AccountRequest request) {
        if (request == null) {
            throw new ValidationException("email", "This field is required.");
        }
        return accounts.registerAccount(request.email(), request.firstName(), request.lastName(), request.userType())
                .map(registration -> Response.status(registration.created() ? 201 : 200)
                        .entity(AccountResponse.of(registration.account(), registration.created())).build());
    }

    @GET
    @Path("/{id}")
    public Uni<AccountResponse> get(@PathParam("id") long id) {
        return accounts.findAccount(id).map(AccountResponse::of);
    }

    @PATCH
    @Path("/{id}")
    public Uni<AccountResponse> update(@PathParam("id") long id, AccountRequest request) {
        AccountRequest patch = request == null ? new AccountRequest(null, null, null, null) : request;
        return accounts.updateAccount(id, patch.firstName(), patch.lastName(), patch.userType())
                .map(AccountResponse::of);
    }

    /**
     * 204, or 404 when there is no such account (a repeated call changes nothing). With {@code onlyIfUnused=true}
     * it undoes a creation: the account is deleted only if nothing can have used it, else 409 and it stays.
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id, @QueryParam("onlyIfUnused") boolean onlyIfUnused) {
        Uni<Void> deleted = onlyIfUnused ? accounts.deleteUnusedAccount(id) : accounts.deleteAccount(id);
        return deleted.replaceWith(Response.noContent().build());
    }

    /**
     * 201 with a new activation link for an account created without a password (its earlier links stop working);
     * 404 when there is no such account, 409 when it has a password already. No body is read.
     */
    @POST
    @Path("/{id}/activation")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> issueActivation(@PathParam("id") long id) {
        return activations.issueActivation(id)
                .map(activation -> Response.status(201)
                        .entity(new ActivationResponse(activation.link(), activation.expiresAt())).build());
    }

    /**
     * Which accounts their organization requires to sign in with a passkey (admin-service's decision): 204. Ids of
     * no account are skipped; the person's own choice is kept apart and stays as it is.
     */
    @PUT
    @Path("/passkey-requirements")
    public Uni<Response> setPasskeyRequirements(PasskeyRequirementRequest request) {
        if (request == null) {
            throw new ValidationException("reason", "This field is required.");
        }
        return accounts.setPasskeyRequiredByOrganization(request.reason(), request.required(), request.notRequired())
                .replaceWith(Response.noContent().build());
    }

}
