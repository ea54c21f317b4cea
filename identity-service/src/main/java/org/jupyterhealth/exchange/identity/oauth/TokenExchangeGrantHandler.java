package org.jupyterhealth.exchange.identity.oauth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwt.JwtClaims;
import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.exchange.EhrIdTokenVerifier;
import org.jupyterhealth.exchange.identity.token.TokenService;

import io.smallrye.mutiny.Uni;

/**
 * The SMART EHR-launch token exchange (RFC 8693; docs/compatibility.md#token-exchange): a confidential client allowed
 * this grant (the seeded {@code sof-ehr-launch}) presents an ID token its EHR issued, and gets an access token of the
 * practitioner the token's {@code fhirUser} names, matched by the account's identifier. Only ID tokens are
 * accepted and only access tokens issued, with scope {@code openid}, and never a refresh token: the EHR launch is
 * repeated when the token expires.
 */
@ApplicationScoped
public class TokenExchangeGrantHandler implements GrantHandler {
    public static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    static final String SCOPE = "openid";
    /** {@code Practitioner/<id>}, relative or at the end of an absolute URL; a FHIR id (R5 §2.1.28.0.1). */
    private static final Pattern PRACTITIONER = Pattern.compile("(?:^|/)Practitioner/([A-Za-z0-9\\-.]{1,64})$");

    private final EhrIdTokenVerifier verifier;
    private final JheUserRepository users;
    private final TokenService tokens;
    private final IdentityConfig config;

    public TokenExchangeGrantHandler(EhrIdTokenVerifier verifier, JheUserRepository users, TokenService tokens,
            IdentityConfig config) {
        this.verifier = verifier;
        this.users = users;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public String grantType() {
        return GRANT;
    }

    /** The exchanged token acts as a practitioner: only a client that can keep a secret may ask for it. */
    @Override
    public boolean confidentialClientsOnly() {
        return true;
    }

    @Override
    public Uni<TokenResponse> handle(TokenRequest request, OAuthClient client) {
        String subjectToken = request.require("subject_token");
        String subjectTokenType = request.require("subject_token_type");
        if (!ID_TOKEN_TYPE.equals(subjectTokenType)) {
            throw OAuthException.unsupportedTokenType("Only subject tokens of type " + ID_TOKEN_TYPE
                    + " are exchanged.");
        }
        String requested = request.get("requested_token_type");
        if (requested != null && !ACCESS_TOKEN_TYPE.equals(requested)) {
            throw OAuthException.invalidRequest("Only tokens of type " + ACCESS_TOKEN_TYPE + " are issued.");
        }
        String audience = request.get("audience");
        if (audience != null && !IdentityConfig.stripTrailingSlash(audience)
                .equals(IdentityConfig.stripTrailingSlash(config.publicUrl()))) {
            throw OAuthException.invalidTarget("The audience must be this exchange: " + config.publicUrl() + ".");
        }
        String scope = request.get("scope");
        if (scope != null && !SCOPE.equals(scope.trim())) {
            throw OAuthException.invalidScope("The token exchange grants the openid scope only.");
        }
        return verifier.verify(subjectToken).chain(claims -> {
            String identifier = practitionerId(claims);
            return users.findByIdentifier(identifier).chain(user -> {
                if (user == null) {
                    throw OAuthException.invalidGrant("No practitioner of the exchange matches the ID token's "
                            + "fhirUser.").reason("no practitioner with this identifier");
                }
                if (!"practitioner".equals(user.userType())) {
                    throw OAuthException.invalidGrant("The ID token's fhirUser is not a practitioner of the "
                            + "exchange.").reason("account is not a practitioner").user(user.id());
                }
                if (!user.active()) {
                    throw OAuthException.invalidGrant("The practitioner cannot sign in.").reason("account inactive")
                            .user(user.id());
                }
                return tokens.issueForOwner(client, user, SCOPE)
                        .map(response -> response.issued(ACCESS_TOKEN_TYPE))
                        .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), user.id(), SCOPE));
            });
        });
    }

    /** The id of the Practitioner the token's {@code fhirUser} names, or invalid_grant. */
    private static String practitionerId(JwtClaims claims) {
        Object fhirUser = claims.getClaimValue("fhirUser");
        if (!(fhirUser instanceof String reference) || reference.isBlank()) {
            throw OAuthException.invalidGrant("The ID token has no fhirUser claim.").reason("no fhirUser");
        }
        Matcher matcher = PRACTITIONER.matcher(reference);
        if (!matcher.find()) {
            throw OAuthException.invalidGrant("The ID token's fhirUser is not a Practitioner.")
                    .reason("fhirUser is not a Practitioner");
        }
        return matcher.group(1);
    }
}
