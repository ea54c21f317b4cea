package org.jupyterhealth.exchange.common.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash chain of the audit store: every stored event carries {@code hash = SHA-256(prev_hash || event)}, where
 * {@code event} is its canonical JSON ({@link AuditJson}) in UTF-8 and {@code prev_hash} the hash of the event stored
 * before it from the same Kafka partition ({@link #GENESIS} for a partition's first). Altering, removing or
 * reordering a stored event breaks the chain from there on; {@code ./jhe audit verify} recomputes it.
 */
public final class AuditChain {
    /** The previous hash of a partition's first event: 32 zero bytes. */
    public static final byte[] GENESIS = new byte[32];

    private AuditChain() {
    }

    public static byte[] hash(byte[] previous, String canonicalEvent) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update(previous);
        sha256.update(canonicalEvent.getBytes(StandardCharsets.UTF_8));
        return sha256.digest();
    }
}
