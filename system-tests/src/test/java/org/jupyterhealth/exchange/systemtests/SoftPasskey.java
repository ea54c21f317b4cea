package org.jupyterhealth.exchange.systemtests;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
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

/**
 * A passkey in software for the system tests: an ES256 key pair answering WebAuthn challenges as a browser's
 * authenticator does ("none" attestation, user present and verified), for the stack's public URL. The few CBOR
 * structures are written by hand (a COSE key, an attestation object): the services parse them with their library.
 */
final class SoftPasskey {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final byte UP_UV = 0x05;
    private static final byte ATTESTED = 0x40;

    private final KeyPair keys;
    private final byte[] credentialId = new byte[32];
    private final String origin = SystemStack.BASE_URL;
    private final String rpId = URI.create(SystemStack.BASE_URL).getHost();
    private int counter = 1;
    private String userHandle;

    SoftPasskey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    /** The answer to {@code navigator.credentials.create()}: the registration form's fields. */
    Map<String, String> create(String challenge, String userHandle) {
        this.userHandle = userHandle;
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(UP_UV | ATTESTED);
        authData.writeBytes(ByteBuffer.allocate(4).putInt(counter++).array());
        authData.writeBytes(new byte[16]);
        authData.writeBytes(ByteBuffer.allocate(2).putShort((short) credentialId.length).array());
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey());
        ByteArrayOutputStream attestation = new ByteArrayOutputStream();
        attestation.write(0xA3);
        text(attestation, "fmt");
        text(attestation, "none");
        text(attestation, "attStmt");
        attestation.write(0xA0);
        text(attestation, "authData");
        bytes(attestation, authData.toByteArray());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("client_data", B64URL.encodeToString(clientData("webauthn.create", challenge)));
        fields.put("attestation_object", B64URL.encodeToString(attestation.toByteArray()));
        return fields;
    }

    /** The answer to {@code navigator.credentials.get()}: the sign-in form's passkey fields. */
    Map<String, String> get(String challenge) {
        byte[] clientData = clientData("webauthn.get", challenge);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(UP_UV);
        authData.writeBytes(ByteBuffer.allocate(4).putInt(counter++).array());
        byte[] data = authData.toByteArray();
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.writeBytes(data);
        signed.writeBytes(sha256(clientData));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("passkey_id", B64URL.encodeToString(credentialId));
        fields.put("passkey_client_data", B64URL.encodeToString(clientData));
        fields.put("passkey_authenticator_data", B64URL.encodeToString(data));
        fields.put("passkey_signature", B64URL.encodeToString(sign(signed.toByteArray())));
        fields.put("passkey_user_handle", userHandle);
        return fields;
    }

    /** The public key as a COSE_Key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
    private byte[] coseKey() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        ByteArrayOutputStream cbor = new ByteArrayOutputStream();
        cbor.write(0xA5);
        cbor.write(0x01);
        cbor.write(0x02);
        cbor.write(0x03);
        cbor.write(0x26);
        cbor.write(0x20);
        cbor.write(0x01);
        cbor.write(0x21);
        bytes(cbor, coordinate(key.getW().getAffineX()));
        cbor.write(0x22);
        bytes(cbor, coordinate(key.getW().getAffineY()));
        return cbor.toByteArray();
    }

    private static byte[] coordinate(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    private static void text(ByteArrayOutputStream cbor, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        cbor.write(0x60 | utf8.length);
        cbor.writeBytes(utf8);
    }

    private static void bytes(ByteArrayOutputStream cbor, byte[] bytes) {
        if (bytes.length < 24) {
            cbor.write(0x40 | bytes.length);
        } else if (bytes.length < 256) {
            cbor.write(0x58);
            cbor.write(bytes.length);
        } else {
            cbor.write(0x59);
            cbor.writeBytes(ByteBuffer.allocate(2).putShort((short) bytes.length).array());
        }
        cbor.writeBytes(bytes);
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
