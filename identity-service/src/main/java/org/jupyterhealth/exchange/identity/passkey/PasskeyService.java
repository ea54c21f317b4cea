package org.jupyterhealth.exchange.identity.passkey;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.VerificationException;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;

/**
 * Passkeys (WebAuthn Level 2): a signed-in person registers one, and later signs in with it instead of a password.
 * <p>
 * What the browser sends is verified by webauthn4j, never by hand: the client data (type, challenge, origin), the
 * RP id hash, the user-presence flag, the attestation (format "none" asked for, so that no authenticator's maker is
 * learnt or trusted) and the assertion's signature with the stored public key. The relying party is the configured
 * public URL: its host is the RP id and its origin the only origin accepted, so that a page of another site (or the
 * exchange behind another name) cannot use the passkeys.
 * <p>
 * Challenges are 256 random bits, stored as their SHA-256 with their purpose (and, for a registration, the account
 * of the session that asked), answerable for {@code jhe.identity.passkeys.challenge-lifetime} and deleted by the
 * first attempt that names them, whatever its outcome: a replayed answer finds nothing. Sign-in uses discoverable
 * credentials: the browser offers the person's passkeys for the site without an address being typed, so the page
 * never tells whether an account exists. The stored signature counter must move forward with every use (unless the
 * authenticator keeps none, then it stays zero): a counter that goes back means a cloned authenticator.
 */
@ApplicationScoped
public class PasskeyService {
    private static final Logger LOG = Logger.getLogger(PasskeyService.class);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();
    /** Base64url without padding, of a size no real authenticator's answer exceeds (16 KiB). */
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{1,21846}");
    /** The credential ids of WebAuthn are at most 1023 bytes. */
    private static final int MAX_CREDENTIAL_ID = 1023;
    public static final int MAX_LABEL = 64;
    /** A person's passkeys: a few for each device they use, never an unbounded number. */
    static final int MAX_PER_ACCOUNT = 20;
    /** ES256, EdDSA and RS256: what platform authenticators and security keys offer, in the order preferred. */
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

    /** A registration or sign-in that is refused; the message can be shown to the person. */
    public static final class Refused extends RuntimeException {
        private final transient JheUser account;

        public Refused(String message) {
            this(message, null);
        }

        Refused(String message, JheUser account) {
            super(message, null, false, false);
            this.account = account;
        }

        /**
         * The account whose registered passkey was presented and did not sign in (a bad signature, a counter that
         * went back, an inactive account); null when no registered passkey was named, or for a registration.
         */
        public JheUser account() {
            return account;
        }
    }

    /** What the browser answered a registration challenge with (each part base64url). */
    public record Attestation(String clientDataJson, String attestationObject) {
    }

    /** What the browser answered a sign-in challenge with (each part base64url; the user handle may be absent). */
    public record Assertion(String credentialId, String clientDataJson, String authenticatorData, String signature,
            String userHandle) {
    }

    private final PasskeyRepository passkeys;
    private final Pool pool;
    private final IdentityConfig config;
    private final WebAuthnManager webAuthn;
    private final ObjectConverter converter = new ObjectConverter();
    private final String rpId;
    private final Origin origin;

    public PasskeyService(PasskeyRepository passkeys, Pool pool, IdentityConfig config) {
        this.passkeys = passkeys;
        this.pool = pool;
        this.config = config;
        // "none" attestation only is asked for; no attestation statement is trusted, so the non-strict manager
        // (which checks every signature and binding but accepts any statement format unverified) is the right one
        this.webAuthn = WebAuthnManager.createNonStrictWebAuthnManager(converter);
        URI publicUrl = URI.create(config.publicUrl());
        this.rpId = publicUrl.getHost();
        this.origin = new Origin(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority());
    }

    /** The options of {@code navigator.credentials.create()} for this account, with a new challenge. */
    public Uni<Map<String, Object>> registrationOptions(JheUser user) {
        String challenge = RandomTokens.accountToken();
        return store(challenge, "registration", user.id())
                .chain(() -> passkeys.credentialIds(user.id()))
                .map(credentialIds -> {
                    List<Map<String, Object>> exclude = new ArrayList<>();
                    for (byte[] credentialId : credentialIds) {
                        exclude.add(Map.of("type", "public-key", "id", B64URL.encodeToString(credentialId)));
                    }
                    Map<String, Object> options = new LinkedHashMap<>();
                    options.put("challenge", challenge);
                    options.put("rp", Map.of("id", rpId, "name", config.passkeys().relyingPartyName()));
                    options.put("user", Map.of("id", B64URL.encodeToString(userHandle(user.id())),
                            "name", user.email(), "displayName", displayName(user)));
                    List<Map<String, Object>> algorithms = new ArrayList<>();
                    for (PublicKeyCredentialParameters parameters : ALGORITHMS) {
                        algorithms.add(Map.of("type", "public-key", "alg", parameters.getAlg().getValue()));
                    }
                    options.put("pubKeyCredParams", algorithms);
                    options.put("timeout", config.passkeys().challengeLifetime().toMillis());
                    options.put("attestation", "none");
                    // discoverable: the sign-in page asks for no address, the authenticator offers the passkey
                    options.put("authenticatorSelection", Map.of("residentKey", "required",
                            "requireResidentKey", true, "userVerification", "preferred"));
                    options.put("excludeCredentials", exclude);
                    return options;
                });
    }

    /**
     * Verifies the browser's answer to a registration challenge of this account and keeps the passkey.
     *
     * @throws Refused (in the Uni) when the answer does not verify, its challenge is unknown, used, expired or
     *         another account's, or the passkey is registered already
     */
    public Uni<Passkey> register(JheUser user, String label, Attestation attestation) {
        String name = label == null ? "" : label.strip();
        if (name.isEmpty()) {
            name = "Passkey";
        }
        if (name.length() > MAX_LABEL) {
            return refused("The name of the passkey is longer than " + MAX_LABEL + " characters.");
        }
        RegistrationData data;
        try {
            data = webAuthn.parse(new RegistrationRequest(bytes(attestation.attestationObject()),
                    bytes(attestation.clientDataJson())));
        } catch (DataConversionException | IllegalArgumentException e) {
            return refused("The passkey's answer cannot be read.");
        }
        CollectedClientData clientData = data.getCollectedClientData();
        if (clientData == null || clientData.getChallenge() == null) {
            return refused("The passkey's answer cannot be read.");
        }
        byte[] challenge = clientData.getChallenge().getValue();
        String label2 = name;
        return consume(challenge, "registration", user.id()).chain(found -> {
            if (!found) {
                return refused("This registration has expired or was used already. Try again.");
            }
            RegistrationData verified;
            try {
                ServerProperty server = ServerProperty.builder().origin(origin).rpId(rpId)
                        .challenge(new DefaultChallenge(challenge)).build();
                verified = webAuthn.verify(data, new RegistrationParameters(server, ALGORITHMS, false, true));
            } catch (VerificationException | DataConversionException e) {
                LOG.infof("passkey registration refused for account %d (%s)", user.id(), e.getClass().getSimpleName());
                return refused("The passkey could not be verified for this site.");
            }
            AttestedCredentialData credential = verified.getAttestationObject().getAuthenticatorData()
                    .getAttestedCredentialData();
            if (credential == null || credential.getCredentialId().length > MAX_CREDENTIAL_ID) {
                return refused("The passkey's answer cannot be read.");
            }
            byte[] publicKey = converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey());
            long signCount = verified.getAttestationObject().getAuthenticatorData().getSignCount();
            return insert(user.id(), credential.getCredentialId(), publicKey, signCount, label2);
        });
    }

    /** Keeps the passkey unless the account has the most it may have: one transaction, the account locked. */
    private Uni<Passkey> insert(long userId, byte[] credentialId, byte[] publicKey, long signCount, String label) {
        return pool.withTransaction(tx -> passkeys.countLockingAccount(tx, userId).chain(count -> {
            if (count >= MAX_PER_ACCOUNT) {
                return refused("This account has " + MAX_PER_ACCOUNT + " passkeys already. Remove one first.");
            }
            return passkeys.insert(tx, userId, credentialId, publicKey, signCount, label);
        }))
                .invoke(added -> LOG.infof("passkey %d registered for account %d", added.id(), userId))
                .onFailure(PgException.class).transform(e -> "23505".equals(((PgException) e).getSqlState())
                        ? new Refused("This passkey is registered already.")
                        : e);
    }

    /** The options of {@code navigator.credentials.get()} for a sign-in, with a new challenge. */
    public Uni<Map<String, Object>> authenticationOptions() {
        String challenge = RandomTokens.accountToken();
        return store(challenge, "authentication", null).map(done -> {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("challenge", challenge);
            options.put("rpId", rpId);
            options.put("timeout", config.passkeys().challengeLifetime().toMillis());
            options.put("userVerification", "preferred");
            options.put("allowCredentials", List.of());
            return options;
        });
    }

    /**
     * The active account whose passkey answered a sign-in challenge; its counter and last use recorded.
     *
     * @param gate asked about the passkey's account once it is known and before the answer is verified; a failure of
     *        it ends the sign-in with that failure (a locked account is told nothing about its passkey's answer)
     * @throws Refused (in the Uni) when the answer does not verify, for whatever reason (never said which)
     */
    public Uni<JheUser> authenticate(Assertion assertion, Function<JheUser, Uni<Void>> gate) {
        AuthenticationRequest request;
        AuthenticationData data;
        try {
            byte[] credentialId = bytes(assertion.credentialId());
            if (credentialId.length > MAX_CREDENTIAL_ID) {
                return refused(SIGN_IN_REFUSED);
            }
            request = new AuthenticationRequest(credentialId,
                    assertion.userHandle() == null || assertion.userHandle().isEmpty() ? null
                            : bytes(assertion.userHandle()),
                    bytes(assertion.authenticatorData()), bytes(assertion.clientDataJson()),
                    bytes(assertion.signature()));
            data = webAuthn.parse(request);
        } catch (DataConversionException | IllegalArgumentException e) {
            return refused(SIGN_IN_REFUSED);
        }
        CollectedClientData clientData = data.getCollectedClientData();
        if (clientData == null || clientData.getChallenge() == null) {
            return refused(SIGN_IN_REFUSED);
        }
        byte[] challenge = clientData.getChallenge().getValue();
        return consume(challenge, "authentication", null).chain(found -> {
            if (!found) {
                LOG.info("passkey sign-in refused: unknown, used or expired challenge");
                return refused(SIGN_IN_REFUSED);
            }
            return passkeys.findByCredentialId(data.getCredentialId()).chain(stored -> {
                if (stored == null) {
                    LOG.info("passkey sign-in refused: unknown passkey");
                    return refused(SIGN_IN_REFUSED);
                }
                return gate.apply(stored.user()).chain(() -> verifyAndRecord(data, challenge, stored));
            });
        });
    }

    private Uni<JheUser> verifyAndRecord(AuthenticationData data, byte[] challenge,
            PasskeyRepository.StoredPasskey stored) {
        long passkeyId = stored.id();
        JheUser user = stored.user();
        long storedCount = stored.signCount();
        byte[] handle = data.getUserHandle();
        if (handle != null && !java.util.Arrays.equals(handle, userHandle(user.id()))) {
            // the passkey answered for another account than the one it is registered to
            LOG.infof("passkey sign-in refused: passkey %d presented for another account", passkeyId);
            return refused(SIGN_IN_REFUSED, user);
        }
        if (!user.active()) {
            LOG.infof("passkey sign-in refused: account %d is inactive", user.id());
            return refused(SIGN_IN_REFUSED, user);
        }
        long presentedCount;
        try {
            COSEKey key = converter.getCborConverter().readValue(stored.publicKey(), COSEKey.class);
            CredentialRecordImpl record = new CredentialRecordImpl(null, null, null, null, storedCount,
                    new AttestedCredentialData(AAGUID.ZERO, data.getCredentialId(), key), null, null, null, null);
            ServerProperty server = ServerProperty.builder().origin(origin).rpId(rpId)
                    .challenge(new DefaultChallenge(challenge)).build();
            webAuthn.verify(data, new AuthenticationParameters(server, record, null, false, true));
            presentedCount = data.getAuthenticatorData().getSignCount();
        } catch (VerificationException | DataConversionException e) {
            LOG.infof("passkey sign-in refused for passkey %d (%s)", passkeyId, e.getClass().getSimpleName());
            return refused(SIGN_IN_REFUSED, user);
        }
        // the counter moves only forward: of two uses racing with the same count, one is refused
        return passkeys.recordUse(passkeyId, user.id(), presentedCount, storedCount)
                .chain(recorded -> recorded ? Uni.createFrom().item(user) : refused(SIGN_IN_REFUSED, user));
    }

    static final String SIGN_IN_REFUSED = "This passkey could not sign you in. Try again, or use your password.";

    /** The passkeys of an account, the newest first. */
    public Uni<List<Passkey>> list(long userId) {
        return passkeys.list(userId);
    }

    /** Removes a passkey of this account: false when the account has none with this id. */
    public Uni<Boolean> remove(long userId, long passkeyId) {
        return passkeys.delete(userId, passkeyId).invoke(removed -> {
            if (removed) {
                LOG.infof("passkey %d of account %d removed", passkeyId, userId);
            }
        });
    }

    /**
     * Whether the account refuses password sign-ins: it requires a passkey (by its own choice or its
     * organization's), and has one.
     */
    public Uni<Boolean> passwordRefused(long userId) {
        return passkeys.passwordRefused(userId);
    }

    /** Whether the account requires a passkey to sign in, by its own choice and by its organization's. */
    public Uni<PasskeyRequirement> required(long userId) {
        return passkeys.requirement(userId);
    }

    /** Sets whether the account requires a passkey to sign in (the person's own choice). */
    public Uni<Void> require(long userId, boolean required) {
        return passkeys.setRequired(userId, required)
                .invoke(() -> LOG.infof("account %d %s a passkey", userId, required ? "requires" : "no longer requires"));
    }

    /** Forgets the challenges nobody answered. */
    @Scheduled(every = "10m", delayed = "3m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpiredChallenges() {
        return passkeys.deleteExpiredChallenges().replaceWithVoid();
    }

    private Uni<Void> store(String challenge, String purpose, Long userId) {
        Instant expiresAt = Instant.now().plus(config.passkeys().challengeLifetime());
        return passkeys.insertChallenge(RandomTokens.sha256Hex(challenge), purpose, userId,
                expiresAt.atOffset(ZoneOffset.UTC));
    }

    /**
     * Deletes the challenge, answered now: true when it was live, of this purpose (and of this account for a
     * registration). Deleted in any case, so that it cannot be tried again.
     */
    private Uni<Boolean> consume(byte[] challenge, String purpose, Long userId) {
        return passkeys.consumeChallenge(RandomTokens.sha256Hex(B64URL.encodeToString(challenge)))
                .map(found -> found != null && found.live() && purpose.equals(found.purpose())
                        && java.util.Objects.equals(found.userId(), userId));
    }

    /**
     * The WebAuthn user handle of an account: its id as 8 bytes. It names no person (WebAuthn §14.6.1) and lets a
     * sign-in check that the passkey answered for the account it is registered to.
     */
    static byte[] userHandle(long userId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(userId).array();
    }

    private static String displayName(JheUser user) {
        String name = ((user.firstName() == null ? "" : user.firstName()) + " "
                + (user.lastName() == null ? "" : user.lastName())).strip();
        return name.isEmpty() ? user.email() : name;
    }

    private static byte[] bytes(String base64url) {
        if (base64url == null || !BASE64URL.matcher(base64url).matches()) {
            throw new IllegalArgumentException("not base64url");
        }
        return B64URL_DECODER.decode(base64url);
    }

    private static <T> Uni<T> refused(String message) {
        return Uni.createFrom().failure(new Refused(message));
    }

    private static <T> Uni<T> refused(String message, JheUser account) {
        return Uni.createFrom().failure(new Refused(message, account));
    }
}
