package org.jupyterhealth.exchange.identity.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;

/**
 * A passkey held in software, answering as a browser's authenticator would: one ES256 key pair and credential id,
 * "none" attestation, user presence and verification flags set, a signature counter that goes up with each use. The
 * bytes are laid out by webauthn4j's converters and signed with the JDK; what the tests change (origin, RP id,
 * counter, user handle) is set on the instance.
 */
public final class SoftwareAuthenticator {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final byte FLAGS = AuthenticatorData.BIT_UP | AuthenticatorData.BIT_UV;

    private final KeyPair keys;
    private final byte[] credentialId;
    /** The origin the browser reports in the client data. */
    public String origin = "http://localhost:8000";
    /** The RP id whose hash starts the authenticator data. */
    public String rpId = "localhost";
    /** The signature counter the next answer reports (then increased). */
    public long counter = 1;
    /** The user handle given at registration, sent back with every sign-in (base64url). */
    public String userHandle;

    public SoftwareAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        credentialId = new byte[32];
        new SecureRandom().nextBytes(credentialId);
    }

    /** Another authenticator's key pair under the same credential id (a forged passkey). */
    public SoftwareAuthenticator withCredentialIdOf(SoftwareAuthenticator other) {
        System.arraycopy(other.credentialId, 0, credentialId, 0, credentialId.length);
        return this;
    }

    public String credentialId() {
        return B64URL.encodeToString(credentialId);
    }

    /** The answer of {@code navigator.credentials.create()}: form fields {@code client_data}, {@code attestation_object}. */
    public Map<String, String> create(String challenge, String userHandle) {
        this.userHandle = userHandle;
        byte[] clientData = clientData("webauthn.create", challenge);
        AttestedCredentialData credential = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<?> authenticatorData = new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
                (byte) (FLAGS | AuthenticatorData.BIT_AT), counter++, credential);
        @SuppressWarnings("unchecked")
        AttestationObject attestation = new AttestationObject(
                (AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput>) authenticatorData,
                new NoneAttestationStatement());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_data", B64URL.encodeToString(clientData));
        fields.put("attestation_object",
                B64URL.encodeToString(new AttestationObjectConverter(CONVERTER).convertToBytes(attestation)));
        return fields;
    }

    /** The answer of {@code navigator.credentials.get()}, as the sign-in page's form fields. */
    public Map<String, String> get(String challenge) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(new AuthenticatorData<>(
                sha256(rpId.getBytes(StandardCharsets.UTF_8)), FLAGS, counter++));
        byte[] signed = new byte[authenticatorData.length + 32];
        System.arraycopy(authenticatorData, 0, signed, 0, authenticatorData.length);
        System.arraycopy(sha256(clientData), 0, signed, authenticatorData.length, 32);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("passkey_id", credentialId());
        fields.put("passkey_client_data", B64URL.encodeToString(clientData));
        fields.put("passkey_authenticator_data", B64URL.encodeToString(authenticatorData));
        fields.put("passkey_signature", B64URL.encodeToString(sign(signed)));
        if (userHandle != null) {
            fields.put("passkey_user_handle", userHandle);
        }
        return fields;
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
