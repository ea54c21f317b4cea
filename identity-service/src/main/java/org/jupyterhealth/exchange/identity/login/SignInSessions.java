package org.jupyterhealth.exchange.identity.login;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.UserRows;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Browser sign-in sessions (OpenID Connect's "End-User is authenticated"): after a password sign-in the browser
 * holds a random value in an HttpOnly cookie, sent only to {@code /o}; the database keeps its SHA-256 with the account
 * and the end of the session. SameSite=Lax, not Strict: a client's sign-in link is a top-level navigation from
 * another site, and the cookie must come with it. Forms that act on the session are protected by the CSRF token as
 * every form here.
 */
@ApplicationScoped
public class SignInSessions {
    static final String COOKIE = "jhe_session";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Pool pool;
    private final Duration lifetime;
    private final boolean secure;

    public SignInSessions(Pool pool, IdentityConfig config, PublicUrls urls) {
        this.pool = pool;
        this.lifetime = config.session().lifetime();
        this.secure = urls.secure();
    }

    /** Whether sessions are on (a lifetime of zero turns them off). */
    public boolean enabled() {
        return !lifetime.isZero() && !lifetime.isNegative();
    }

    /**
     * A new session for the account: its cookie (none when sessions are off). The account's ended sessions are
     * forgotten at the same time, so that its rows stay few without a sweeper.
     */
    public Uni<NewCookie> start(long userId) {
        if (!enabled()) {
            return Uni.createFrom().nullItem();
        }
        String token = RandomTokens.sessionToken();
        Instant expiresAt = Instant.now().plus(lifetime);
        return pool.withTransaction(tx -> tx.preparedQuery(
                "DELETE FROM identity.sign_in_session WHERE user_id = $1 AND expires_at <= now()")
                .execute(Tuple.of(userId))
                .chain(() -> tx.preparedQuery("INSERT INTO identity.sign_in_session (token_hash, user_id, expires_at) "
                        + "VALUES ($1, $2, $3)")
                        .execute(Tuple.of(RandomTokens.sha256Hex(token), userId, expiresAt.atOffset(ZoneOffset.UTC)))))
                .map(done -> cookie(token, lifetime));
    }

    /** The signed-in account of the cookie: null unless the session is live and its account active. */
    public Uni<JheUser> userOf(String cookie) {
        if (!enabled() || cookie == null || !VALUE.matcher(cookie).matches()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("SELECT " + UserRows.COLUMNS + " FROM identity.sign_in_session s "
                + "JOIN identity.jhe_user u ON u.id = s.user_id "
                + "WHERE s.token_hash = $1 AND s.expires_at > now() AND u.is_active")
                .execute(Tuple.of(RandomTokens.sha256Hex(cookie)))
                .map(rows -> rows.size() == 0 ? null : UserRows.from(rows.iterator().next()));
    }

    /** Ends the cookie's session (signing out): true when there was a live one. */
    public Uni<Boolean> end(String cookie) {
        if (cookie == null || !VALUE.matcher(cookie).matches()) {
            return Uni.createFrom().item(false);
        }
        return pool.preparedQuery("DELETE FROM identity.sign_in_session WHERE token_hash = $1 AND expires_at > now()")
                .execute(Tuple.of(RandomTokens.sha256Hex(cookie)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Ends every session of the account, in the caller's transaction (a password change or reset). */
    public static Uni<Void> endAll(SqlClient tx, long userId) {
        return tx.preparedQuery("DELETE FROM identity.sign_in_session WHERE user_id = $1")
                .execute(Tuple.of(userId)).replaceWithVoid();
    }

    /** The cookie that removes the session cookie from the browser. */
    NewCookie expired() {
        return cookie("", Duration.ZERO);
    }

    private NewCookie cookie(String value, Duration maxAge) {
        return new NewCookie.Builder(COOKIE).value(value).path("/o").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) maxAge.toSeconds()).build();
    }
}
