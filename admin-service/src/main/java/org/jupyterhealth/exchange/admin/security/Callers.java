package org.jupyterhealth.exchange.admin.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.mutiny.Uni;

/** Resolves the caller of a request: its token, and its practitioner and patient records in one query. */
@ApplicationScoped
public class Callers {
    private final CallerRepository callers;
    private final JsonWebToken token;

    public Callers(CallerRepository callers, JsonWebToken token) {
        this.callers = callers;
        this.token = token;
    }

    public Uni<Caller> current() {
        CurrentUser user;
        try {
            user = CurrentUser.from(token);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        return resolve(user);
    }

    /**
     * The caller's records. A practitioner token without a practitioner record gets one now (the account was
     * created in identity-service, for example by sign-up), so that roles can be given to it.
     */
    public Uni<Caller> resolve(CurrentUser user) {
        return callers.findRecords(user.id())
                .flatMap(records -> {
                    if (records.practitionerId() != null || !user.isPractitioner()) {
                        return Uni.createFrom().item(new Caller(user, records.practitionerId(), records.patientId()));
                    }
                    return callers.insertPractitionerIfAbsent(user.id(), user.lastName(), user.firstName())
                            .map(id -> new Caller(user, id, records.patientId()));
                });
    }
}
