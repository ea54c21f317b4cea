package org.jupyterhealth.exchange.identity.account;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.web.ConflictException;
import org.jupyterhealth.exchange.identity.web.NotFoundException;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;

/**
 * The accounts admin-service manages for practitioners and patients (docs/internal-api.md): created or found by
 * e-mail (unique whatever its case), renamed, retyped, deleted. Deleting an account revokes its tokens at once; its
 * refresh tokens, codes and the clients it owns go with it.
 */
@ApplicationScoped
public class AccountService {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** The most accounts one call may name: an organization's staff, with room to spare. */
    public static final int MAX_PASSKEY_REQUIREMENTS = 10_000;

    private final JheUserRepository users;
    private final TokenRevocationService revocations;

    public AccountService(JheUserRepository users, TokenRevocationService revocations) {
        this.users = users;
        this.revocations = revocations;
    }

    /**
     * The account with this e-mail, created (without a password: it signs in by invitation) when missing. Calls
     * for one address at the same time give one account: one of them creates it, the others find it.
     */
    public Uni<Registration> registerAccount(String email, String firstName, String lastName, String userType) {
        String normalized = validEmail(email);
        validUserType(userType);
        String first;
        String last;
        try {
            first = name("firstName", firstName);
            last = name("lastName", lastName);
        } catch (ValidationException invalid) {
            // the names matter only to an account still to be created: an existing one is found whatever they are
            return users.markRegisteredAgain(normalized).map(existing -> {
                if (existing == null) {
                    throw invalid;
                }
                return new Registration(existing, false);
            });
        }
        return users.registerByEmail(normalized, first, last, userType);
    }

    /**
     * Records which accounts an organization requires to sign in with a passkey (admin-service decides it from the
     * organizations each account's practitioner belongs to). The person's own choice is not touched: an account
     * requires a passkey when either says so. Ids of no account are skipped (deleted meanwhile).
     *
     * @return the number of accounts whose requirement changed
     */
    public Uni<Integer> setPasskeyRequiredByOrganization(String reason, List<Long> required, List<Long> notRequired) {
        if (!"organization".equals(reason)) {
            throw new ValidationException("reason", "Must be \"organization\".");
        }
        List<Long> on = required == null ? List.of() : required;
        List<Long> off = notRequired == null ? List.of() : notRequired;
        if (on.size() + off.size() > MAX_PASSKEY_REQUIREMENTS) {
            throw new ValidationException("required", "At most " + MAX_PASSKEY_REQUIREMENTS + " accounts at a time.");
        }
        Set<Long> seen = new HashSet<>();
        for (Long id : on) {
            if (id == null || id <= 0) {
                throw new ValidationException("required", "Each entry must be an account id.");
            }
            seen.add(id);
        }
        for (Long id : off) {
            if (id == null || id <= 0) {
                throw new ValidationException("notRequired", "Each entry must be an account id.");
            }
            if (seen.contains(id)) {
                throw new ValidationException("notRequired", "Account " + id + " is also in required.");
            }
        }
        return users.setPasskeyRequiredByOrganization(on.toArray(Long[]::new), off.toArray(Long[]::new));
    }

    public Uni<JheUser> findAccount(long id) {
        return users.findById(id).map(AccountService::found);
    }

    /** Changes the names or the user type; absent values are left as they are. */
    public Uni<JheUser> updateAccount(long id, String firstName, String lastName, String userType) {
        validUserType(userType);
        String first;
        String last;
        try {
            first = firstName == null ? null : name("firstName", firstName);
            last = lastName == null ? null : name("lastName", lastName);
        } catch (ValidationException invalid) {
            // a missing account is reported as such whatever the names
            return findAccount(id).map(account -> {
                throw invalid;
            });
        }
        return users.update(id, first, last, userType).map(AccountService::found);
    }

    /** Revokes every token of the account, then deletes it (its clients, codes and refresh tokens cascade). */
    public Uni<Void> deleteAccount(long id) {
        return findAccount(id)
                .chain(account -> revocations.revokeUser(id))
                .chain(() -> users.deleteById(id))
                .replaceWithVoid();
    }

    /**
     * Undoes the creation of an account by the request that created it (its caller failed later): deletes it only
     * if nothing can have used it since ({@link JheUserRepository#deleteIfUnused}). Absent: {@link NotFoundException}
     * (already undone); in use: {@link ConflictException}, and the account stays.
     */
    public Uni<Void> deleteUnusedAccount(long id) {
        return users.deleteIfUnused(id).chain(deleted -> {
            if (deleted) {
                return Uni.createFrom().voidItem();
            }
            return findAccount(id).map(account -> {
                throw new ConflictException("The account is in use; it was not deleted.");
            });
        });
    }

    static String validEmail(String email) {
        if (email == null || email.isBlank()) {
            throw new ValidationException("email", "This field is required.");
        }
        String trimmed = email.trim();
        if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
            throw new ValidationException("email", "Enter a valid email address.");
        }
        return trimmed;
    }

    static void validUserType(String userType) {
        if (userType != null && !userType.equals("practitioner") && !userType.equals("patient")) {
            throw new ValidationException("userType", "Must be practitioner or patient.");
        }
    }

    private static JheUser found(JheUser account) {
        if (account == null) {
            throw new NotFoundException();
        }
        return account;
    }

    private static String name(String field, String value) {
        if (value == null) {
            return "";
        }
        if (value.length() > 150) {
            throw new ValidationException(field, "Ensure this field has no more than 150 characters.");
        }
        return value;
    }
}
