package org.jupyterhealth.exchange.identity.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.quarkus.scheduler.Scheduled;

/**
 * The RSA keys that sign tokens. They live in a folder (a mounted Secret in production), one PEM file per key
 * named after its key id; a key's date is the one in its id ({@code jhe-20261126T162657Z}) or else its file's.
 * <p>
 * Rotation, without a restart (the folder is read again every {@code reload-interval}): a key added to the folder
 * is published in the JWKS at once and starts signing after {@code activation-delay}, when every service has had
 * time to learn it; from then on the previous key only verifies, and it leaves the JWKS once the last token it
 * can have signed has expired. Removing a key file removes the key.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Added to the token lifetime before a retired key leaves the JWKS, for clock differences. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** A key pair, its id and the date it was made. */
    public record SigningKey(String kid, RSAPrivateCrtKey privateKey, RSAPublicKey publicKey, Instant created) {
    }

    private final IdentityConfig config;
    private volatile List<SigningKey> keys = List.of();

    public SigningKeys(IdentityConfig config) {
        this.config = config;
    }

    @PostConstruct
    void load() {
        Path dir = config.signingKeys().dir();
        List<SigningKey> loaded = readAll(dir);
        if (loaded.isEmpty()) {
            if (!config.signingKeys().generateIfMissing()) {
                throw new IllegalStateException("No signing key in " + dir.toAbsolutePath()
                        + ": mount one (jhe.identity.signing-keys.dir) or enable generate-if-missing");
            }
            loaded = List.of(generate(dir));
        }
        this.keys = loaded;
        LOG.infof("signing with key %s (%d key(s) published)", current().kid(), published().size());
    }

    /** Reads the folder again; a folder that became empty or unreadable keeps the keys in use. */
    @Scheduled(every = "${jhe.identity.signing-keys.reload-interval:60s}", delayed = "${jhe.identity.signing-keys.reload-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void reload() {
        List<SigningKey> loaded;
        try {
            loaded = readAll(config.signingKeys().dir());
        } catch (RuntimeException e) {
            LOG.errorf("cannot read the signing keys again (%s); keeping the %d in use", e.getMessage(), keys.size());
            return;
        }
        if (loaded.isEmpty()) {
            LOG.error("the signing key folder is empty; keeping the keys in use");
            return;
        }
        String before = current().kid();
        this.keys = loaded;
        if (!before.equals(current().kid())) {
            LOG.infof("signing key rotated: %s signs, %s only verifies", current().kid(), before);
        }
    }

    /** The key that signs new tokens: the newest one past its activation delay, or the only one. */
    public SigningKey current() {
        List<SigningKey> all = keys;
        Instant now = Instant.now();
        for (SigningKey key : all) {
            if (!activation(key).isAfter(now)) {
                return key;
            }
        }
        return all.get(all.size() - 1);
    }

    /**
     * Every key a service must know, newest first: keys waiting for their activation, the signing key, and
     * retired keys until the last token they can have signed has expired.
     */
    public List<SigningKey> published() {
        List<SigningKey> all = keys;
        SigningKey current = current();
        Duration lifetime = max(config.accessTokenLifetime(), config.idTokenLifetime()).plus(SKEW);
        Instant now = Instant.now();
        List<SigningKey> result = new ArrayList<>();
        SigningKey successor = null;
        boolean retired = false;
        for (SigningKey key : all) {
            if (key == current) {
                result.add(key);
                retired = true;
            } else if (!retired) {
                result.add(key);
            } else if (activation(successor).plus(lifetime).isAfter(now)) {
                result.add(key);
            }
            successor = key;
        }
        return List.copyOf(result);
    }

    private Instant activation(SigningKey key) {
        return key.created().plus(config.signingKeys().activationDelay());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static List<SigningKey> readAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SigningKey> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                result.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read signing keys from " + dir, e);
        }
        result.sort(Comparator.comparing(SigningKey::created).thenComparing(SigningKey::kid).reversed());
        return List.copyOf(result);
    }

    private static SigningKey read(Path file) throws IOException {
        String name = file.getFileName().toString();
        String kid = name.substring(0, name.length() - ".pem".length());
        String pem = Files.readString(file);
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new SigningKey(kid, privateKey, publicKey, created(kid, file));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Signing key " + file + " is not a PKCS#8 RSA private key", e);
        }
    }

    /** The date in a {@code jhe-<yyyyMMdd'T'HHmmss'Z'>} key id; otherwise the file's modification time. */
    private static Instant created(String kid, Path file) throws IOException {
        if (kid.startsWith("jhe-")) {
            try {
                return KID_TIME.parse(kid.substring(4), Instant::from);
            } catch (DateTimeParseException e) {
                // not a dated key id
            }
        }
        return Files.getLastModifiedTime(file).toInstant();
    }

    private static SigningKey generate(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            String kid = "jhe-" + KID_TIME.format(now);
            Files.createDirectories(dir);
            Path file = dir.resolve(kid + ".pem");
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.infof("created signing key %s in %s", kid, dir.toAbsolutePath());
            return read(file);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("Cannot create a signing key in " + dir, e);
        }
    }
}
