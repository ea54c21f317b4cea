package org.jupyterhealth.exchange.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the gateway. Real clients send characters that RFC 3986 wants escaped, the guide's own example among them
 * ({@code code=https://w3id.org/openmhealth|omh:blood-glucose:4.0} with curl sends a raw {@code |}); Quarkus would
 * refuse such a request line with an empty 400, so the gateway accepts it and forwards it escaped
 * ({@code routing.UriEscaper}). The services behind it keep the strict check.
 */
@QuarkusMain
public class GatewayMain {
    /** The switch Quarkus reads when it builds its HTTP server. */
    public static final String ACCEPT_UNESCAPED_URIS = "vertx.disableURIValidation";

    public static void main(String... args) {
        System.setProperty(ACCEPT_UNESCAPED_URIS, "true");
        Quarkus.run(args);
    }
}
