package org.jupyterhealth.exchange.identity.account;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;

/**
 * argon2id password hashes in PHC format (password4j). Hashing and checking are deliberately slow: call them on a
 * worker thread, never on the event loop.
 *
 * <p>At most {@code concurrency} of them run at once; the others wait on their worker thread. Every hash fills
 * {@code memory-kib} (19 MiB by default) with blocks that live until it ends: with a hash for every request that a
 * worker thread took, password grants under load filled the heap to its maximum, which the collector then kept. A
 * processor does one hash at a time either way, so waiting costs no throughput.
 */
@ApplicationScoped
public class PasswordHasher {
    private static final int HASH_LENGTH = 32;

    private final Argon2Function function;
    /** Checked against when the account does not exist, so that timing does not reveal which e-mails exist. */
    private final String decoy;
    /** Fair, so that a request waits its turn rather than behind every later one. */
    private final Semaphore running;

    @Inject
    public PasswordHasher(IdentityConfig config) {
        this(config.passwordHashing());
    }

    PasswordHasher(IdentityConfig.PasswordHashing p) {
        this.function = Argon2Function.getInstance(p.memoryKib(), p.iterations(), p.parallelism(), HASH_LENGTH,
                Argon2.ID);
        int concurrency = p.concurrency() > 0 ? p.concurrency() : Runtime.getRuntime().availableProcessors();
        this.running = new Semaphore(concurrency, true);
        this.decoy = function.hash("decoy password for absent accounts").getResult();
    }

    public String hash(CharSequence password) {
        return bounded(() -> function.hash(password).getResult());
    }

    /** True when {@code password} matches {@code hash}; a null hash never matches but costs the same time. */
    public boolean matches(CharSequence password, String hash) {
        if (hash == null || !hash.startsWith("$argon2")) {
            bounded(() -> Argon2Function.getInstanceFromHash(decoy).check(password, decoy));
            return false;
        }
        return bounded(() -> Argon2Function.getInstanceFromHash(hash).check(password, hash));
    }

    /** Runs one hash or check once a place is free (on the caller's worker thread). */
    <T> T bounded(Supplier<T> work) {
        running.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            running.release();
        }
    }
}
