package org.jupyterhealth.exchange.admin.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;

/** Resolves the caller of a request: its token, and its practitioner and patient records in one query. */
@ApplicationScoped
public class Callers {
    private final Db db;
    private final JsonWebToken token;

    public Callers(Db db, JsonWebToken token) {
        this.db = db;
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
        return db.one("SELECT (SELECT id FROM practitioner WHERE jhe_user_id = $1) AS practitioner_id, "
                + "(SELECT id FROM patient WHERE jhe_user_id = $1) AS patient_id",
                row -> new Caller(user, row.getLong("practitioner_id"), row.getLong("patient_id")), user.id())
                .flatMap(caller -> {
                    if (caller.practitionerId() != null || !user.isPractitioner()) {
                        return Uni.createFrom().item(caller);
                    }
                    return db.one("INSERT INTO practitioner (jhe_user_id, name_family, name_given) "
                            + "VALUES ($1, NULLIF($2, ''), NULLIF($3, '')) ON CONFLICT (jhe_user_id) "
                            + "DO UPDATE SET jhe_user_id = EXCLUDED.jhe_user_id RETURNING id",
                            row -> new Caller(user, row.getLong("id"), caller.patientId()),
                            user.id(), user.lastName(), user.firstName());
                });
    }
}
