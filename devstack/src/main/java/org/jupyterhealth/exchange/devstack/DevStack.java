package org.jupyterhealth.exchange.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.jupyterhealth.exchange.common.kafka.Topic;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The local infrastructure behind {@code ./jhe} ({@link Launcher}): an embedded PostgreSQL for machines without a server, the
 * databases, the Kafka topics with their partition counts, and the relay through which the system tests' services
 * reach PostgreSQL (so that a fault test can cut them off from it). The Kafka broker itself runs as {@code kafka.Kafka}
 * from this module's classpath.
 *
 * <pre>
 * DevStack postgres PORT DATA_DIR         run an embedded PostgreSQL until stopped
 * DevStack database HOST PORT NAME [--fresh]  create the database (dropping it first with --fresh); warn when
 *                                         the server does not keep planner statistics up to date
 * DevStack topics BOOTSTRAP               create the topics of {@link Topic}, or add partitions to match
 * DevStack relay PORT HOST TARGET_PORT     relay 127.0.0.1:PORT to PostgreSQL until stopped ({@link DatabaseRelay})
 * </pre>
 */
public final class DevStack {
    /** The prefixes of the lines that {@code ./jhe} shows as a warning and the advice that follows it. */
    static final String WARNING = "warning: ";
    static final String HINT = "hint: ";

    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "postgres" -> postgres(Integer.parseInt(args[1]), Path.of(args[2]));
            case "database" -> database(args[1], Integer.parseInt(args[2]), args[3],
                    args.length > 4 && "--fresh".equals(args[4]));
            case "topics" -> topics(args[1]);
            case "relay" -> DatabaseRelay.run(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: DevStack postgres PORT DATA_DIR | database HOST PORT NAME [--fresh]"
                + " | topics BOOTSTRAP | relay PORT HOST TARGET_PORT");
        System.exit(2);
    }

    static void postgres(int port, Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }));
        System.out.println("embedded PostgreSQL listening on 127.0.0.1:" + port + " (data in " + dataDir + ")");
        stopped.await();
    }

    static void database(String host, int port, String name, boolean fresh) throws SQLException {
        createDatabase(host, port, name, fresh).forEach(System.out::println);
    }

    /**
     * Creates the database (dropping it first with {@code fresh}); returns what to tell the user: that it was
     * created, and the {@link #statisticsWarnings} of the server.
     */
    static List<String> createDatabase(String host, int port, String name, boolean fresh) throws SQLException {
        List<String> lines = new ArrayList<>();
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, "postgres", null);
                Statement statement = connection.createStatement()) {
            if (fresh) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + name);
                lines.add("created database " + name);
            }
            lines.addAll(statisticsWarnings(setting(connection, "autovacuum"), setting(connection, "track_counts")));
        }
        return lines;
    }

    /**
     * What to tell the user about the server's upkeep of planner statistics: a warning and a hint, or nothing.
     * Without autovacuum (or without the row counts it works from) nothing runs ANALYZE, the statistics describe the
     * tables as they were when they were small, and plans chosen from them can turn a read of a few milliseconds into
     * seconds. The server is not ours to reconfigure (others may share it), so the user is told how.
     */
    static List<String> statisticsWarnings(String autovacuum, String trackCounts) {
        List<String> warnings = new ArrayList<>();
        if (!"on".equalsIgnoreCase(autovacuum) || !"on".equalsIgnoreCase(trackCounts)) {
            warnings.add(WARNING + "autovacuum is " + autovacuum + " (track_counts " + trackCounts + "): nothing"
                    + " keeps the planner's statistics up to date, and reads slow down as the data grows");
            warnings.add(HINT + "as a superuser: ALTER SYSTEM SET autovacuum = on; ALTER SYSTEM SET track_counts = on;"
                    + " SELECT pg_reload_conf();  (or run ANALYZE after loading data)");
        }
        return warnings;
    }

    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT current_setting(?)")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : "unknown";
            }
        }
    }

    static void topics(String bootstrap) throws InterruptedException, ExecutionException {
        createTopics(bootstrap).forEach(System.out::println);
    }

    /** Creates the topics of {@link Topic}, or adds partitions to match; returns one line a topic. */
    static List<String> createTopics(String bootstrap) throws InterruptedException, ExecutionException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                if (!existing.contains(topic.topicName())) {
                    missing.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1)
                            .configs(topic.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            List<String> present = List.of(Topic.values()).stream().map(Topic::topicName)
                    .filter(existing::contains).toList();
            Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<String, NewPartitions> grow = List.of(Topic.values()).stream()
                    .filter(t -> described.containsKey(t.topicName())
                            && described.get(t.topicName()).partitions().size() < t.partitions())
                    .collect(Collectors.toMap(Topic::topicName, t -> NewPartitions.increaseTo(t.partitions())));
            if (!grow.isEmpty()) {
                admin.createPartitions(grow).all().get(30, TimeUnit.SECONDS);
            }
            // topics created by an earlier version get today's configuration
            Map<ConfigResource, Collection<AlterConfigOp>> settings = new HashMap<>();
            for (Topic topic : Topic.values()) {
                if (existing.contains(topic.topicName())) {
                    settings.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()),
                            topic.configs().entrySet().stream().map(c -> new AlterConfigOp(
                                    new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET)).toList());
                }
            }
            if (!settings.isEmpty()) {
                admin.incrementalAlterConfigs(settings).all().get(30, TimeUnit.SECONDS);
            }
            List<String> lines = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                lines.add(String.format("topic %-28s %3d partitions%s", topic.topicName(), topic.partitions(),
                        missing.stream().anyMatch(t -> t.name().equals(topic.topicName())) ? " (created)" : ""));
            }
            return lines;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer", e);
        }
    }
}
