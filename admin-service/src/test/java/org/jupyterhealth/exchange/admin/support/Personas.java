package org.jupyterhealth.exchange.admin.support;

import org.jupyterhealth.exchange.common.testing.DemoPersonas;

/** Tokens of the demo users ({@link DemoPersonas}), and of the services that call admin-service. */
public final class Personas extends DemoPersonas {
    private Personas() {
    }

    public static String service(String name) {
        return IdentityStandIn.serviceToken(name);
    }
}
