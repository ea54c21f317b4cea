package org.jupyterhealth.exchange.identity.oauth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jupyterhealth.exchange.identity.token.SigningKeys;

/** The public keys that verify access tokens (RFC 7517), every published key with its {@code kid}. */
@Path("/o/.well-known/jwks.json")
@PermitAll
public class JwksResource {
    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKeys.SigningKey key : keys.published()) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            set.addJsonWebKey(jwk);
        }
        return Response.ok(set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .header("Cache-Control", "public, max-age=300")
                .build();
    }
}
