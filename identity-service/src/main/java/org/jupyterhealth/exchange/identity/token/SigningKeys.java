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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

/**
 * The RSA keys that sign access tokens. They live in a folder (a mounted Secret in production), one PEM file per
 * key named after its key id. The newest key signs; every key in the folder is published in the JWKS so that
 * tokens signed before a rotation still verify.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** A key pair and its id. */
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
        LOG.infof("signing with key %s (%d key(s) published)", current().kid(), loaded.size());
    }

    /** The key that signs new tokens. */
    public SigningKey current() {
        return keys.get(0);
    }

    /** Every key whose tokens must still verify, newest first. */
    public List<SigningKey> published() {
        return keys;
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
            Instant created = Files.getLastModifiedTime(file).toInstant();
            return new SigningKey(kid, privateKey, publicKey, created);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Signing key " + file + " is not a PKCS#8 RSA private key", e);
        }
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
