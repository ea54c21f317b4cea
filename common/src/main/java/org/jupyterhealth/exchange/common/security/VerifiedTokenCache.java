package org.jupyterhealth.exchange.common.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
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
 * <p>A service that verifies tokens makes it a bean by extending it. It must run before the OIDC identity provider
 * (priority 1001), and as an augmentor before the others, so that it remembers identities as the provider built
 * them.
 */
public abstract class VerifiedTokenCache implements IdentityProvider<TokenAuthenticationRequest>,
        SecurityIdentityAugmentor {
    /** Attribute marking an identity that came from memory (it is not remembered again). */
    static final String REMEMBERED = VerifiedTokenCache.class.getName();
    /** Attribute in which the OIDC provider gives the token's expiry, in epoch seconds. */
    static final String EXPIRES = "quarkus.identity.expire-time";
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    private final Cache<String, SecurityIdentity> identities;

    protected VerifiedTokenCache(long maximumSize, Duration lifetime) {
        this.identities = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(lifetime).build();
    }

    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** The remembered identity of this token, for this request; a null item lets the OIDC provider verify it. */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        SecurityIdentity known = token == null ? null : identities.getIfPresent(token);
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        Object expires = known.getAttribute(EXPIRES);
        if (!(expires instanceof Long seconds) || System.currentTimeMillis() / 1000 >= seconds) {
            identities.invalidate(token);
            return Uni.createFrom().nullItem();
        }
        Map<String, Object> attributes = new HashMap<>(known.getAttributes());
        for (Map.Entry<String, Object> attribute : request.getAttributes().entrySet()) {
            if (attributes.containsKey(attribute.getKey())) {
                attributes.put(attribute.getKey(), attribute.getValue());
            }
        }
        attributes.put(REQUEST_CONTEXT, context);
        attributes.put(REMEMBERED, Boolean.TRUE);
        return Uni.createFrom().item(copy(known, attributes));
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
            // the request's own objects are forgotten, their keys kept (null) to be filled by the next request
            Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
            for (String key : attributes.keySet()) {
                if (requestAttributes.containsKey(key) || REQUEST_CONTEXT.equals(key)) {
                    attributes.put(key, null);
                }
            }
            identities.put(jwt.getRawToken(), copy(identity, attributes));
        }
        return Uni.createFrom().item(identity);
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
