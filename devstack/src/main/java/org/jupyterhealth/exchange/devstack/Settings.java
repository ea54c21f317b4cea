package org.jupyterhealth.exchange.devstack;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the environment tells {@code ./jhe}, read once: every {@code JHE_*} variable it honours.
 *
 * @param root                 the project's folder
 * @param portOffset           {@code JHE_PORT_OFFSET}: shifts every port and suffixes the database names
 * @param publicUrl            {@code JHE_PUBLIC_URL}, or null for the stack's own {@link Stack#localUrl()}
 * @param profile              {@code JHE_PROFILE}: the services' Quarkus profile ({@code local})
 * @param dbAdminUser          {@code JHE_DB_ADMIN_USER}: the migrations' user ({@code postgres})
 * @param dbAdminPassword      {@code JHE_DB_ADMIN_PASSWORD}, or null (trust authentication)
 * @param javaOptions          {@code JHE_JAVA_OPTS}: the services' JVM options ({@code up}: {@code ./jhe up}'s on
 *                             every stack), or null for {@link JvmOptions}'
 * @param stopSeconds          {@code JHE_STOP_TIMEOUT}: how long a service has between TERM and KILL
 * @param kafkaStopSeconds     {@code JHE_KAFKA_STOP_TIMEOUT}: the same for the Kafka broker
 * @param startSeconds         {@code JHE_START_TIMEOUT}: how long services have to report ready
 * @param maven                {@code JHE_MVN}: the Maven command ({@code ./jhe} finds it)
 * @param javaHome             {@code JHE_JAVA_HOME}: the JDK the services run on, or null for {@link ServiceJava}'s
 *                             choice (the newest JDK 25 or later installed, else the one running {@code ./jhe})
 * @param aotCache             {@code JHE_AOT_CACHE} (JDK 25 or later): {@code true} (the default) starts a service
 *                             with its AOT cache when it has a fresh one, and on the dev stack trains one when it has
 *                             none; {@code train} trains on every stack; {@code false} neither
 */
record Settings(Path root, int portOffset, String publicUrl, String profile, String dbAdminUser,
        String dbAdminPassword, String javaOptions, int stopSeconds, int kafkaStopSeconds, int startSeconds,
        String maven, Path javaHome, AotCacheMode aotCache) {

    /** What {@code JHE_AOT_CACHE} says: {@code false}, {@code true}, {@code train}. */
    enum AotCacheMode {
        OFF, ON, TRAIN
    }

    static Settings from(Path root, Map<String, String> env) {
        return new Settings(root, number(env, "JHE_PORT_OFFSET", 0), blankToNull(env.get("JHE_PUBLIC_URL")),
                env.getOrDefault("JHE_PROFILE", "local"), env.getOrDefault("JHE_DB_ADMIN_USER", "postgres"),
                blankToNull(env.get("JHE_DB_ADMIN_PASSWORD")), blankToNull(env.get("JHE_JAVA_OPTS")),
                number(env, "JHE_STOP_TIMEOUT", 10), number(env, "JHE_KAFKA_STOP_TIMEOUT", 30),
                number(env, "JHE_START_TIMEOUT", 180), env.getOrDefault("JHE_MVN", "mvn"),
                Optional.ofNullable(blankToNull(env.get("JHE_JAVA_HOME"))).map(Path::of).orElse(null),
                aotCacheMode(env.get("JHE_AOT_CACHE")));
    }

    private static AotCacheMode aotCacheMode(String value) {
        if (value == null || value.isBlank()) {
            return AotCacheMode.ON;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "1" -> AotCacheMode.ON;
            case "false", "off", "0" -> AotCacheMode.OFF;
            case "train" -> AotCacheMode.TRAIN;
            default -> throw new LauncherException("JHE_AOT_CACHE must be true, false or train: '" + value + "'");
        };
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new LauncherException(name + " must be a whole number, 0 or more: '" + value + "'");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The folder of a stack's pid files, logs, Kafka data and signing keys. */
    Path runDir(Stack stack) {
        return root.resolve(".jhe").resolve(stack.folder());
    }

    String publicUrl(Stack stack) {
        return publicUrl != null ? publicUrl : stack.localUrl();
    }
}
