package org.jupyterhealth.exchange.identity.exchange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The signing keys of the trusted EHRs, found as a SMART app finds them: the issuer's
 * {@code /.well-known/smart-configuration}, or else its {@code /.well-known/openid-configuration}, names the
 * {@code jwks_uri}. Fetched on the event loop with Vert.x's client (never a blocking call), each request bounded by
 * a timeout, and kept for a while so that an exchange usually costs no request to the EHR. A token signed by a key
 * not yet known makes the keys be fetched again, at most once per {@code min-refetch-interval}.
 */
@ApplicationScoped
public class EhrKeys {
    private static final Logger LOG = Logger.getLogger(EhrKeys.class);
    /** A configuration document or key set larger than this is not one. */
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    /** The keys could not be fetched: the exchange is refused rather than a token believed unchecked. */
    public static class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /** The EHR answered, but not with the document: another document may still be there. */
    private static final class NotThere extends UnavailableException {
        NotThere(String message) {
            super(message);
        }
    }

    private record Cached(List<JsonWebKey> keys, Instant fetchedAt) {
    }

    private final HttpClient http;
    private final IdentityConfig.TokenExchange config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public EhrKeys(Vertx vertx, IdentityConfig config) {
        this.config = config.tokenExchange();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.fetchTimeout().toMillis()));
    }

    /**
     * The keys of a trusted issuer: those known when they are fresh enough, else fetched again. With
     * {@code refresh}, fetched again unless they were fetched within the minimum interval (a token names a key
     * that the known set lacks: the EHR may have rotated its keys).
     */
    public Uni<List<JsonWebKey>> keys(String issuer, boolean refresh) {
        Cached cached = cache.get(issuer);
        Duration age = cached == null ? null : Duration.between(cached.fetchedAt(), Instant.now());
        if (age != null && age.compareTo(refresh ? config.minRefetchInterval() : config.keysLifetime()) < 0) {
            return Uni.createFrom().item(cached.keys());
        }
        return fetch(issuer).invoke(keys -> cache.put(issuer, new Cached(keys, Instant.now())));
    }

    private Uni<List<JsonWebKey>> fetch(String issuer) {
        return jwksUri(issuer)
                .chain(this::get)
                .map(body -> {
                    try {
                        return List.copyOf(new JsonWebKeySet(body.toString()).getJsonWebKeys());
                    } catch (JoseException e) {
                        throw new UnavailableException("the EHR's key set could not be read");
                    }
                })
                .onFailure(failure -> !(failure instanceof UnavailableException))
                .transform(failure -> new UnavailableException("the EHR's keys could not be fetched"))
                .onFailure().invoke(failure -> LOG.warnf("EHR keys of %s unavailable: %s", issuer,
                        failure.getMessage()));
    }

    /**
     * The {@code jwks_uri} of the SMART configuration, or of the OpenID configuration when the EHR has no SMART
     * configuration or it names none. An EHR that does not answer at all is not asked a second time.
     */
    private Uni<String> jwksUri(String issuer) {
        return get(issuer + "/.well-known/smart-configuration").map(EhrKeys::jwksUriOf)
                .onFailure(failure -> failure instanceof NotThere || failure instanceof DecodeException)
                .recoverWithNull()
                .chain(uri -> uri != null ? Uni.createFrom().item(uri)
                        : get(issuer + "/.well-known/openid-configuration").map(body -> {
                            String found = jwksUriOf(body);
                            if (found == null) {
                                throw new UnavailableException("the EHR publishes no jwks_uri");
                            }
                            return found;
                        }));
    }

    private static String jwksUriOf(Buffer body) {
        Object uri = new JsonObject(body.getDelegate()).getValue("jwks_uri");
        return uri instanceof String text && (text.startsWith("https://") || text.startsWith("http://")) ? text
                : null;
    }

    private Uni<Buffer> get(String url) {
        long timeout = config.fetchTimeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setIdleTimeout(timeout).setFollowRedirects(true).addHeader("Accept", "application/json");
        return http.request(options)
                .chain(request -> request.send())
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return Uni.createFrom().failure(new NotThere(
                                "the EHR answered " + response.statusCode()));
                    }
                    return response.body();
                })
                .map(body -> {
                    if (body.length() > MAX_DOCUMENT_BYTES) {
                        throw new UnavailableException("the EHR's document is too large");
                    }
                    return body;
                })
                .ifNoItem().after(config.fetchTimeout()).failWith(() -> new UnavailableException("timed out"));
    }
}
