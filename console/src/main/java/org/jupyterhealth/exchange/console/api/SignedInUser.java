package org.jupyterhealth.exchange.console.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;

import io.quarkus.arc.Arc;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The signed-in user's profile and organizations, which every page shows (the name in the header, the role that
 * decides which controls are drawn), read from the admin API once and then kept for a short while
 * ({@code jhe.console.user-ttl}, 30 s) instead of being asked for again on every page: the patient list then makes
 * one call to the admin API instead of three.
 *
 * <p>What is kept only decides what a page draws: every read and change is still asked of the APIs with the user's
 * token, and they decide again. A role changed by someone else shows within the time kept; a change made through the
 * console forgets the user's entry at once ({@link #forget()}, after every POST, see {@code web.Writes}). Entries are
 * found by a digest of the session's access token, never by the token itself: a new sign-in (a new token) starts
 * afresh, and after a sign-out no session holds the token any longer, so its entry can no longer be read and goes
 * with its time. At most {@value #MAX_USERS} users are kept.
 */
@ApplicationScoped
public class SignedInUser {
    static final int MAX_USERS = 10_000;

    /** What a page knows of its user: the admin API's profile and the organizations the user is a member of. */
    public record Known(Profile profile, List<Organization> organizations) {
        /** The user's own organization of that id (with the user's role in it), if they are a member. */
        public Optional<Organization> organization(long id) {
            return organizations.stream().filter(o -> o.id() == id).findFirst();
        }
    }

    private record Entry(Known known, long expires) {
    }

    private final AdminApi admin;
    private final CurrentIdentityAssociation identities;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public SignedInUser(@RestClient AdminApi admin, CurrentIdentityAssociation identities,
            @ConfigProperty(name = "jhe.console.user-ttl", defaultValue = "30S") Duration ttl) {
        this.admin = admin;
        this.identities = identities;
        this.ttlNanos = ttl.toNanos();
    }

    /** The user's profile and organizations: kept ones while they are fresh, else both read side by side. */
    public Uni<Known> known() {
        String key = key();
        long now = System.nanoTime();
        Entry entry = key == null ? null : entries.get(key);
        if (entry != null && entry.expires() - now > 0) {
            return Uni.createFrom().item(entry.known());
        }
        return Uni.combine().all().unis(admin.profile(), admin.organizations()).asTuple()
                .map(t -> new Known(t.getItem1(), t.getItem2() == null ? List.of() : List.copyOf(t.getItem2())))
                .invoke(known -> {
                    if (key != null && ttlNanos > 0) {
                        keep(key, new Entry(known, System.nanoTime() + ttlNanos));
                    }
                });
    }

    public Uni<Profile> profile() {
        return known().map(Known::profile);
    }

    /** The organization as the user sees it: their own from what is kept, any other (a superuser's) from the API. */
    public Uni<Organization> organization(Known known, long id) {
        return known.organization(id).map(o -> Uni.createFrom().item(o)).orElseGet(() -> admin.organization(id));
    }

    /** Forgets what is kept for the signed-in user (after a change they made). */
    public void forget() {
        String key = key();
        if (key != null) {
            entries.remove(key);
        }
    }

    /** Forgets every user (the tests change who the stand-in API says is signed in under one token). */
    public void forgetAll() {
        entries.clear();
    }

    private void keep(String key, Entry entry) {
        if (entries.size() >= MAX_USERS) {
            long now = System.nanoTime();
            entries.values().removeIf(e -> e.expires() - now <= 0);
            if (entries.size() >= MAX_USERS) {
                entries.clear(); // all fresh: start again rather than grow without bound
            }
        }
        entries.put(key, entry);
    }

    /** A digest of the session's access token (null without one: nothing is kept for it). */
    private String key() {
        if (!Arc.container().requestContext().isActive()) {
            return null; // a request refused before it reached the console's code (a body too large): nobody to forget
        }
        SecurityIdentity identity = identities.getIdentity();
        AccessTokenCredential token = identity == null ? null : identity.getCredential(AccessTokenCredential.class);
        if (token == null || token.getToken() == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(token.getToken().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
