package org.jupyterhealth.exchange.identity.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import com.nulabinc.zxcvbn.StandardDictionaries;

import io.quarkus.runtime.Startup;

/**
 * The rules a new password must meet, for every way a person chooses one (activation and change now; reset later),
 * in the spirit of NIST SP 800-63B §3.1.1.2: long enough ({@code jhe.identity.password.min-length}, 12 by default),
 * at most {@value #MAX_LENGTH} characters, no composition rules (no "a digit and a symbol": they make passwords harder
 * to remember, not to guess), and not a password that attackers try first: none of a list of common passwords, nor
 * the account's own e-mail address or the part of it before the {@code @}.
 * <p>
 * Characters are Unicode code points, so that a password of accented letters, CJK characters or emoji is as long as
 * it looks. Control characters are refused: nobody can type them again reliably, and a password its owner cannot
 * type locks them out. Messages speak to the person choosing the password, and never repeat it.
 * <p>
 * The common passwords are the dictionary of zxcvbn ({@code com.nulab-inc:zxcvbn}, the Java port of Dropbox's
 * password strength estimator): the passwords most often found in leaked password sets, compared without regard to
 * case. Only those long enough to pass the length rule are kept in memory.
 */
@ApplicationScoped
@Startup
public class PasswordPolicy {
    /** The longest password accepted: long passphrases fit, and no argon2id hash is spent on a megabyte of input. */
    public static final int MAX_LENGTH = 256;
    /** The least minimum a deployment may configure (NIST SP 800-63B §3.1.1.2: at least 8). */
    static final int LEAST_MIN_LENGTH = 8;

    private final int minLength;

    @Inject
    public PasswordPolicy(IdentityConfig config) {
        this(config.password().minLength());
    }

    /** With this minimum length; one outside 8 to 256 stops the service at start. */
    PasswordPolicy(int minLength) {
        if (minLength < LEAST_MIN_LENGTH || minLength > MAX_LENGTH) {
            throw new IllegalArgumentException("jhe.identity.password.min-length must be between "
                    + LEAST_MIN_LENGTH + " and " + MAX_LENGTH + ", not " + minLength);
        }
        this.minLength = minLength;
        // read once, at start: the first person to choose a password should not wait for the list
        CommonPasswords.contains("");
    }

    /** The fewest characters a password may have. */
    public int minLength() {
        return minLength;
    }

    /**
     * Why this password cannot be the account's, in words for the person choosing it; empty when it can.
     *
     * @param email the account's e-mail address (may be null)
     */
    public Optional<String> problem(String password, String email) {
        if (password == null || password.isEmpty()) {
            return Optional.of("Enter a password.");
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("Your password cannot contain control characters, such as tabs or line breaks.");
        }
        if (password.isBlank()) {
            return Optional.of("Your password cannot be only spaces.");
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return Optional.of("Your password is too short: use at least " + minLength + " characters.");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("Your password is too long: use at most " + MAX_LENGTH + " characters.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (email != null && !email.isBlank()) {
            String address = email.trim().toLowerCase(Locale.ROOT);
            int at = address.lastIndexOf('@');
            String localPart = at > 0 ? address.substring(0, at) : address;
            if (lower.equals(address) || lower.equals(localPart)) {
                return Optional.of("Your password cannot be your email address or the part of it before the @.");
            }
        }
        if (CommonPasswords.contains(lower)) {
            return Optional.of("This password is too common: it is on the lists of passwords that attackers try "
                    + "first. Choose another one.");
        }
        return Optional.empty();
    }

    /** zxcvbn's list of common passwords (lower case), read on first use and kept for the life of the process. */
    private static final class CommonPasswords {
        private static final Set<String> ALL = load();

        static boolean contains(String lowerCasePassword) {
            return ALL.contains(lowerCasePassword);
        }

        private static Set<String> load() {
            Set<String> words = new HashSet<>();
            try {
                for (String word : StandardDictionaries.PASSWORDS_LOADER.load().getFrequencies()) {
                    if (word.codePointCount(0, word.length()) >= LEAST_MIN_LENGTH) {
                        words.add(word.toLowerCase(Locale.ROOT));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the list of common passwords", e);
            }
            return Set.copyOf(words);
        }
    }
}
