package org.jupyterhealth.exchange.identity.account;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;

/**
 * argon2id password hashes in PHC format (password4j). Hashing and checking are deliberately slow: call them on a
 * worker thread, never on the event loop.
 */
@ApplicationScoped
public class PasswordHasher {
    private static final int HASH_LENGTH = 32;

    private final Argon2Function function;
    /** Checked against when the account does not exist, so that timing does not reveal which e-mails exist. */
    private final String decoy;

    public PasswordHasher(IdentityConfig config) {
        IdentityConfig.PasswordHashing p = config.passwordHashing();
        this.function = Argon2Function.getInstance(p.memoryKib(), p.iterations(), p.parallelism(), HASH_LENGTH,
                Argon2.ID);
        this.decoy = function.hash("decoy password for absent accounts").getResult();
    }

    public String hash(CharSequence password) {
        return function.hash(password).getResult();
    }

    /** True when {@code password} matches {@code hash}; a null hash never matches but costs the same time. */
    public boolean matches(CharSequence password, String hash) {
        if (hash == null || !hash.startsWith("$argon2")) {
            Argon2Function.getInstanceFromHash(decoy).check(password, decoy);
            return false;
        }
        return Argon2Function.getInstanceFromHash(hash).check(password, hash);
    }
}
