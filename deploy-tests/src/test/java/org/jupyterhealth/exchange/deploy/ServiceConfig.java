package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's own configuration says, read from its sources: the keys of
 * {@code src/main/resources/application.properties} (every profile), the properties its values refer to
 * ({@code ${jhe.db.host:127.0.0.1}}), and the keys of its {@code @ConfigMapping} interfaces with their defaults.
 * Environment variables are matched to keys the way Quarkus derives them: upper case, every other character
 * {@code _}.
 */
final class ServiceConfig {
    /** Values that only make sense on a developer's machine: a deployment must replace them. */
    private static final List<String> LOCAL_ONLY_MARKERS = List.of("127.0.0.1", "localhost", "local-trust", ".jhe/");
    /** Keys a deployment sets although the service's files never mention them: secrets. */
    private static final Set<String> SECRETS_SET_BY_DEPLOYMENT = Set.of("quarkus.datasource.password");

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");

    final String service;
    /** Every configuration key the service knows (profile prefixes removed); {@code x.*} for a map's entries. */
    final Set<String> keys = new TreeSet<>();
    /** Keys whose value in the default profile is for a developer's machine, with that value. */
    final Map<String, String> localOnly = new TreeMap<>();
    final Properties properties = new Properties();

    private ServiceConfig(String service) {
        this.service = service;
    }

    static ServiceConfig of(String service) {
        ServiceConfig config = new ServiceConfig(service);
        Path module = Repository.root().resolve(service);
        config.readProperties(module.resolve("src/main/resources/application.properties"));
        config.readMappings(module.resolve("src/main/java"));
        if (config.keys.contains("quarkus.datasource.db-kind")) {
            config.keys.addAll(SECRETS_SET_BY_DEPLOYMENT);
        }
        return config;
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port"));
    }

    /** The management interface's port; 0 when the service serves health and metrics on its HTTP port. */
    int managementPort() {
        if (!Boolean.parseBoolean(properties.getProperty("quarkus.management.enabled"))) {
            return 0;
        }
        return Integer.parseInt(properties.getProperty("quarkus.management.port", "9000"));
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Whether an environment variable names a key of this service. */
    boolean knows(String envVar) {
        for (String key : keys) {
            if (key.endsWith(".*") ? envVar.startsWith(envName(key.substring(0, key.length() - 1)))
                    : envVar.equals(envName(key))) {
                return true;
            }
        }
        return false;
    }

    /** Environment variables a deployment must set, because the default is for a developer's machine. */
    Map<String, String> requiredEnv() {
        Map<String, String> required = new TreeMap<>();
        localOnly.forEach((key, value) -> required.put(envName(key), key + "=" + value));
        return required;
    }

    private void readProperties(Path file) {
        try {
            properties.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : properties.stringPropertyNames()) {
            boolean profiled = name.startsWith("%");
            String key = profiled ? name.substring(name.indexOf('.') + 1) : name;
            String value = properties.getProperty(name);
            keys.add(key);
            Matcher expression = EXPRESSION.matcher(value);
            while (expression.find()) {
                keys.add(expression.group(1));
                if (!profiled && expression.group(2) != null && isLocalOnly(expression.group(2))) {
                    localOnly.put(expression.group(1), expression.group(2));
                }
            }
            if (!profiled && isLocalOnly(EXPRESSION.matcher(value).replaceAll(""))) {
                localOnly.put(key, value);
            }
        }
    }

    private void readMappings(Path sources) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher mapping = MAPPING.matcher(source);
                if (mapping.find()) {
                    Map<String, String> bodies = interfaceBodies(source);
                    Matcher root = INTERFACE.matcher(source);
                    if (root.find(mapping.end())) {
                        readInterface(bodies, root.group(1), mapping.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readInterface(Map<String, String> bodies, String name, String prefix) {
        String body = bodies.get(name);
        for (String nested : bodies.keySet()) {
            if (!nested.equals(name) && body.contains("interface " + nested)) {
                body = body.replace(bodies.get(nested), "");
            }
        }
        Matcher method = METHOD.matcher(body);
        while (method.find()) {
            String annotations = method.group(1);
            String type = method.group(2);
            Matcher withName = WITH_NAME.matcher(annotations);
            String key = prefix + "." + (withName.find() ? withName.group(1) : kebab(method.group(3)));
            String simpleType = type.replaceAll("<.*", "");
            if (bodies.containsKey(simpleType)) {
                readInterface(bodies, simpleType, key);
            } else if (simpleType.equals("Map")) {
                keys.add(key + ".*");
            } else {
                keys.add(key);
                Matcher withDefault = WITH_DEFAULT.matcher(annotations);
                if (withDefault.find() && isLocalOnly(withDefault.group(1))
                        && !properties.containsKey(key)) {
                    localOnly.put(key, withDefault.group(1));
                }
            }
        }
    }

    /** The body (between its braces) of every interface declared in a source file, by simple name. */
    private static Map<String, String> interfaceBodies(String source) {
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher declaration = INTERFACE.matcher(source);
        while (declaration.find()) {
            int depth = 1;
            int i = declaration.end();
            while (i < source.length() && depth > 0) {
                char c = source.charAt(i++);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            bodies.put(declaration.group(1), source.substring(declaration.end(), i - 1));
        }
        return bodies;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static boolean isLocalOnly(String value) {
        return LOCAL_ONLY_MARKERS.stream().anyMatch(value::contains);
    }

    @Override
    public String toString() {
        return service + " " + keys;
    }

    static List<ServiceConfig> all() {
        List<ServiceConfig> configs = new ArrayList<>();
        Repository.SERVICES.forEach(s -> configs.add(of(s)));
        return configs;
    }
}
