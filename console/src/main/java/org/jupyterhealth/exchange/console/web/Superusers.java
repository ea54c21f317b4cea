package org.jupyterhealth.exchange.console.web;

import jakarta.ws.rs.ForbiddenException;

import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.SignedInUser;

import io.smallrye.mutiny.Uni;

/**
 * The pages only a superuser has (the administration, the apps, the settings, the practitioners): anyone else gets
 * the console's "No access" page (403) before any service is asked for the page's data or change. The admin API
 * refuses them anyway; this keeps a manager from even reaching a form he could not use.
 */
final class Superusers {
    private Superusers() {
    }

    /** The signed-in superuser's profile, or a 403 for anyone else. */
    static Uni<Profile> only(SignedInUser user) {
        return user.profile().invoke(me -> {
            if (!me.isSuperuser()) {
                throw new ForbiddenException();
            }
        });
    }
}
