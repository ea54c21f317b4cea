package org.jupyterhealth.exchange.common.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Verifies each access token once. A client sends the same bearer token with every request for its lifetime, and
 * parsing it and checking its RS256 signature is most of what authentication costs. The identity that the OIDC
 * provider built from a token it verified is remembered under the token (the whole signed string), until the token
 * expires and for at most {@code lifetime}; a later request carrying the same token gets that identity without
 * verifying it again. A token that fails verification is never remembered, and a remembered token is refused again
 * as soon as it expires. Augmentors still run on every request, so a revoked token ({@link RevokedTokenCheck}) is
 * refused whether it was remembered or not.
 *
 * <p>What belongs to one request (its routing context and authentication context) is not remembered: a remembered
 * identity carries the principal, roles, credentials and the provider's other attributes, and is given the current
 * request's. Scope permission checkers are not remembered either; the exchange decides access by its own rules, and
 * a {@code @PermissionsAllowed} check on a remembered identity would deny.
 *
 * <p>It runs before the OIDC identity provider (priority 1001), and as an augmentor before the others, so that it
 * remembers identities as the provider built them. It is a bean only in the services that verify tokens, which say
 * so with {@code jhe.security.verify-tokens=true} ({@link RevokedTokenCheck#VERIFY_TOKENS}); the others do not have
 * the OIDC and cache libraries it needs.
 */
@Singleton
@IfBuildProperty(name = RevokedTokenCheck.VERIFY_TOKENS, stringValue = "true")
public class VerifiedTokenCache implements BearerTokenIdentityProvider, SecurityIdentityAugmentor {
    /** Attribute marking an identity that came from memory (it is not remembered again). */
    static final String REMEMBERED = VerifiedTokenCache.class.getName();
    /** Attribute in which the OIDC provider gives the token's expiry, in epoch seconds. */
    static final String EXPIRES = "quarkus.identity.expire-time";
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    private final Cache<String, Remembered> identities;

    public VerifiedTokenCache(
            @ConfigProperty(name = "jhe.security.verified-tokens.maximum-size", defaultValue = "10000") long maximumSize,
            @ConfigProperty(name = "jhe.security.verified-tokens.lifetime", defaultValue = "5M") Duration lifetime) {
        this.identities = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(lifetime).build();
    }

    @Override
    public int priority() {
        return 2000;
    }

    /** The remembered identity of this token, for this request; a null item lets the OIDC provider verify it. */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        Remembered known = token == null ? null : identities.getIfPresent(token);
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        Object expires = known.identity().getAttribute(EXPIRES);
        if (!(expires instanceof Long seconds) || System.currentTimeMillis() / 1000 >= seconds) {
            identities.invalidate(token);
            return Uni.createFrom().nullItem();
        }
        Map<String, Object> attributes = new HashMap<>(known.identity().getAttributes());
        known.fromRequest().forEach((key, requestKey) -> attributes.put(key, request.getAttribute(requestKey)));
        attributes.put(REQUEST_CONTEXT, context);
        attributes.put(REMEMBERED, Boolean.TRUE);
        return Uni.createFrom().item(copy(known.identity(), attributes));
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, Map.of());
    }

    /** Remembers an identity the OIDC provider has just built from a verified token. */
    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> requestAttributes) {
        if (!identity.isAnonymous() && identity.getAttribute(REMEMBERED) == null
                && identity.getAttribute(EXPIRES) instanceof Long
                && identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getRawToken() != null
                && identity.getCredential(TokenCredential.class) != null) {
            // the request's own objects (its routing context, under whatever name) are not remembered: the
            // attributes that hold them are filled from each later request's attribute of the same object
            Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
            Map<String, String> fromRequest = new HashMap<>();
            for (Map.Entry<String, Object> attribute : identity.getAttributes().entrySet()) {
                if (REQUEST_CONTEXT.equals(attribute.getKey())) {
                    attributes.put(attribute.getKey(), null);
                    continue;
                }
                for (Map.Entry<String, Object> requestAttribute : requestAttributes.entrySet()) {
                    if (attribute.getValue() != null && attribute.getValue() == requestAttribute.getValue()) {
                        attributes.put(attribute.getKey(), null);
                        fromRequest.put(attribute.getKey(), requestAttribute.getKey());
                        break;
                    }
                }
            }
            identities.put(jwt.getRawToken(), new Remembered(copy(identity, attributes), Map.copyOf(fromRequest)));
        }
        return Uni.createFrom().item(identity);
    }

    /**
     * An identity as remembered, and which of its attributes name an object of the request (attribute name, name of
     * the request attribute holding the same object).
     */
    private record Remembered(SecurityIdentity identity, Map<String, String> fromRequest) {
    }

    /** How many tokens are remembered (for tests and metrics). */
    public long size() {
        identities.cleanUp();
        return identities.estimatedSize();
    }

    private static SecurityIdentity copy(SecurityIdentity identity, Map<String, Object> attributes) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addAttributes(attributes)
                .setAnonymous(false)
                .build();
    }
}
