package org.jupyterhealth.exchange.identity.code;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.runtime.Startup;

/**
 * The static PKCE pair of the guide's patient invitation links (docs/compatibility.md#invitations): the patient app
 * exchanges the code with the configured verifier ({@code PATIENT_AUTHORIZATION_CODE_VERIFIER}), so codes issued for
 * that flow carry its S256 challenge. A configuration that cannot work (a malformed verifier, a challenge that is not
 * the verifier's) stops the service at start rather than failing every invitation later.
 */
@ApplicationScoped
@Startup
public class PatientInvitationPkce {
    private final Optional<String> challenge;

    public PatientInvitationPkce(IdentityConfig config) {
        Optional<String> verifier = config.patientInvitation().codeVerifier();
        Optional<String> configured = config.patientInvitation().codeChallenge();
        if (verifier.isPresent() && !Pkce.isVerifier(verifier.get())) {
            throw new IllegalStateException("PATIENT_AUTHORIZATION_CODE_VERIFIER must be 43 to 128 characters of "
                    + "A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)");
        }
        if (configured.isPresent() && !Pkce.isChallenge(configured.get())) {
            throw new IllegalStateException("PATIENT_AUTHORIZATION_CODE_CHALLENGE must be the base64url S256 "
                    + "challenge of the verifier (43 characters)");
        }
        if (verifier.isPresent() && configured.isPresent() && !Pkce.verifies(verifier.get(), configured.get())) {
            throw new IllegalStateException("PATIENT_AUTHORIZATION_CODE_CHALLENGE is not the S256 challenge of "
                    + "PATIENT_AUTHORIZATION_CODE_VERIFIER");
        }
        this.challenge = configured.isPresent() ? configured
                : verifier.map(RandomTokens::s256);
    }

    /** The challenge of invitation codes issued without one; empty when no static pair is configured. */
    public Optional<String> challenge() {
        return challenge;
    }
}
