package org.jupyterhealth.exchange.identity.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Counts of failed credentials per subject: {@code account:<e-mail>} (sign-ins), {@code client:<client id>}
 * (client authentications) and {@code address:<ip>} (both: an address guessing passwords and client secrets is
 * one guesser).
 */
@ApplicationScoped
public class LoginFailureRepository {
    private static final String WINDOW_EXPIRED = "f.window_start < now() - $2 * interval '1 second'";
    private static final String COUNT = "(CASE WHEN " + WINDOW_EXPIRED + " THEN 1 ELSE f.failures + 1 END)";

    private final Pool pool;

    public LoginFailureRepository(Pool pool) {
        this.pool = pool;
    }

    /** One more failure for each subject; a subject reaching its maximum within the window is locked. */
    public Uni<Void> recordFailures(List<Threshold> subjects) {
        List<Tuple> batch = subjects.stream()
                .map(t -> Tuple.of(t.subject(), t.window().toSeconds(), t.maxFailures(), t.lockout().toSeconds()))
                .toList();
        return pool.preparedQuery("INSERT INTO identity.login_failure AS f (subject, failures, window_start, "
                + "locked_until) VALUES ($1, 1, now(), CASE WHEN $3 <= 1 THEN now() + $4 * interval '1 second' END) "
                + "ON CONFLICT (subject) DO UPDATE SET "
                + "failures = " + COUNT + ", "
                + "window_start = CASE WHEN " + WINDOW_EXPIRED + " THEN now() ELSE f.window_start END, "
                + "locked_until = CASE WHEN " + COUNT + " >= $3 THEN now() + $4 * interval '1 second' "
                + "ELSE f.locked_until END")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /** The latest end of a current lock on any of the subjects; null when none is locked. */
    public Uni<Instant> findLockedUntil(List<String> subjects) {
        return pool.preparedQuery("SELECT max(locked_until) AS until FROM identity.login_failure "
                + "WHERE subject = ANY($1) AND locked_until > now()")
                .execute(Tuple.of(subjects.toArray(new String[0])))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getOffsetDateTime("until") == null ? null : row.getOffsetDateTime("until").toInstant();
                });
    }

    public Uni<Void> deleteBySubject(String subject) {
        return pool.preparedQuery("DELETE FROM identity.login_failure WHERE subject = $1")
                .execute(Tuple.of(subject)).replaceWithVoid();
    }

    /** Forgets counts whose window and lock are both over. */
    public Uni<Integer> deleteStale(Duration window) {
        return pool.preparedQuery("DELETE FROM identity.login_failure WHERE window_start < now() - $1 * interval "
                + "'1 second' AND (locked_until IS NULL OR locked_until < now())")
                .execute(Tuple.of(window.toSeconds()))
                .map(rows -> rows.rowCount());
    }

    public static String accountSubject(String email) {
        return "account:" + bounded(email == null ? "" : email.trim().toLowerCase(Locale.ROOT));
    }

    public static String clientSubject(String clientId) {
        return "client:" + bounded(clientId == null ? "" : clientId);
    }

    public static String addressSubject(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }

    /** Whole seconds until the lock ends, at least one (RFC 9110 §10.2.3 {@code Retry-After}). */
    public static Duration retryAfter(Instant lockedUntil) {
        long seconds = Math.max(1, (Duration.between(Instant.now(), lockedUntil).toMillis() + 999) / 1000);
        return Duration.ofSeconds(seconds);
    }

    /** Subjects fit the column whatever was sent: a made-up identifier needs no more than its start to count. */
    private static String bounded(String value) {
        return value.length() > 300 ? value.substring(0, 300) : value;
    }

    /** A subject and the rule it is counted under. */
    public record Threshold(String subject, int maxFailures, Duration window, Duration lockout) {
    }
}
