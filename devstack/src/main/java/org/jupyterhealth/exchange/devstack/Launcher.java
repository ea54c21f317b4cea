package org.jupyterhealth.exchange.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.jupyterhealth.exchange.common.audit.AuditVerifier;
import org.jupyterhealth.exchange.devstack.ServiceEnvironment.Database;

/**
 * {@code ./jhe}: builds, runs and tests the exchange on this machine. The shell script only finds Java and Maven,
 * builds this module when it is missing or stale, and runs this class; everything else is here, on the ports,
 * topics and services the tests share ({@link Stack}, {@link Service}, {@code Topic}).
 */
public final class Launcher {
    static final String USAGE = """
            ./jhe — build, run and test JupyterHealth Exchange on this machine.

              ./jhe up [--detach] [--no-build] [--fresh]   build what is stale, start PostgreSQL, Kafka, the mail server
                                                           and the five services with the demo data; Ctrl-C stops
                                                           everything
              ./jhe down                                   stop what `./jhe up --detach` started
              ./jhe status                                 what runs where, with each service's health and metrics URLs
              ./jhe logs SERVICE                           follow one process's log
              ./jhe mail [ADDRESS]                         the messages the stack's mail server keeps (of one address),
                                                           the latest last: subject, recipient, date and text
              ./jhe export STUDY_ID DIR                    export a study's data the caller may read (FHIR Bulk Data,
                                                           Group/STUDY_ID/$export) with the access token in JHE_TOKEN,
                                                           showing its progress, and download its NDJSON files into DIR
                                                           as they are finished, each checked against the manifest's
                                                           count and size (run again on DIR: goes on with the same job,
                                                           skipping the files DIR holds whole)
              ./jhe audit verify                           recompute the audit trail's hash chains (ingest.audit_event)
                                                           and print OK or the first broken event; exits 1 if broken
              ./jhe test [MAVEN ARGS...]                   run every test of every module, with what they need
              ./jhe infra [down]                           keep the tests' PostgreSQL database, Kafka broker and mail
                                                           server up
              ./jhe mvn ARGS...                            Maven with that infrastructure (e.g. -pl admin-service -am verify)
              ./jhe bench NAME [ARGS...]                   run benchmark NAME (benchmarks/; NAMEBenchmark too, e.g.
                                                           Footprint) against the `bench` stack, started fresh on port
                                                           28000 unless it is already running
              ./jhe stop|kill|start NAME                   stop (TERM, KILL after 10 s; says how long it took), kill (KILL)
                                                           or start one part of a running stack: a service, a replica
                                                           (ingest-service-2), kafka or mail (fault tests); postgres
                                                           (systest stack): cut the services off from PostgreSQL (every open
                                                           connection dropped, new ones refused) and restore it
              ./jhe replica SERVICE N                      start replica N of a service beside it (port + 10×N)

            --stack dev|systest|bench (or JHE_STACK) picks the port and database set: `dev` is the demo site on
            http://localhost:8000; `systest` is the one the system tests start on 18000 with its own database and broker
            (its services reach PostgreSQL through a relay on 18089, which `./jhe stop postgres` cuts).
            JHE_PORT_OFFSET=N shifts every port by N and suffixes the database names, for side-by-side copies. Give
            copies offsets 2000 apart (2000, 4000, 6000): a stack's ports span 1,100 above its base (services,
            replicas, management ports, Kafka, mail), so nearer offsets overlap, and from 8000 the bench stack's ports fall
            in the range Linux hands out to outgoing connections.
            The services run on the newest JDK 25 or later installed in /usr/lib/jvm (JHE_JAVA_HOME names another),
            else on the Java running ./jhe. On JDK 25 a service's first start on the dev stack after a build trains its
            AOT cache, which its JVM writes when it stops; later starts, on every stack, use it and are faster
            (JHE_AOT_CACHE=train: train on the other stacks too; false: no cache).
            The services with a schema migrate it once, before they start: when its schema lacks a migration of the
            build, `./jhe up` and `./jhe start` run a service's Flyway migrations (the service's own program, which
            exits when they are done; output in its log); the services start with migration at start off, and
            without applying their demo seed once their schema has all of it.
            """;
    static final int SERVER_POSTGRES_PORT = 5432;
    static final int EMBEDDED_POSTGRES_PORT = 15432;
    private static final String KAFKA = "kafka";
    private static final String MAIL = "mail";
    /** The systest stack's database relay is known as {@code postgres}: stopping it is the database outage. */
    private static final String RELAY = "postgres";
    private static final Duration POLL = Duration.ofMillis(300);
    /** Where JDKs are installed: {@link ServiceJava} looks here for one of 25 or later. */
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
    /**
     * How long a service training its AOT cache has between TERM and KILL: after the service stopped (within 5 s),
     * its JVM writes the cache, which takes seconds to tens of seconds on a busy machine.
     */
    static final int AOT_TRAINING_STOP_SECONDS = 180;
    private static final String AOT_TRAINING_MARK = ".aot-training";
    /** How long a service's JVM may take to write its AOT cache once its recording is ended. */
    private static final Duration AOT_WRITE_LIMIT = Duration.ofSeconds(120);

    /** Set before every exit of our own, so that the shutdown hooks act on a signal (Ctrl-C) only. */
    private static volatile boolean exiting;

    private final Settings settings;
    private final Console console;
    private final Stack stack;
    private final Path runDir;
    private final Processes processes;
    private Build build;
    private ServiceJava serviceJava;
    private volatile boolean stopping;

    Launcher(Settings settings, Console console, Stack stack) {
        this.settings = settings;
        this.console = console;
        this.stack = stack;
        this.runDir = settings.runDir(stack);
        this.processes = new Processes(runDir, console);
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            // the Kafka admin client (topics): warnings only
            System.setProperty("log4j2.configurationFile", "classpath:kafka-tools-log4j2.properties");
        }
        Console console = Console.system();
        int status;
        try {
            Arguments arguments = Arguments.parse(List.of(args), System.getenv("JHE_STACK"));
            Path root = Path.of(System.getProperty("jhe.root", ".")).toAbsolutePath().normalize();
            Settings settings = Settings.from(root, System.getenv());
            String stackName = List.of("test", "infra", "mvn").contains(arguments.command()) ? "unit"
                    : "bench".equals(arguments.command()) ? "bench" : arguments.stack();
            Stack stack;
            try {
                stack = Stack.of(stackName, settings.portOffset());
            } catch (IllegalArgumentException e) {
                throw new LauncherException(e.getMessage());
            }
            status = new Launcher(settings, console, stack).run(arguments);
        } catch (LauncherException e) {
            console.error(e.getMessage());
            status = 1;
        }
        exiting = true;
        System.exit(status);
    }

    int run(Arguments arguments) {
        List<String> args = arguments.args();
        return switch (arguments.command()) {
            case "up" -> up(Arguments.Up.parse(args));
            case "down" -> down();
            case "status" -> status();
            case "logs" -> logs(args);
            case "mail" -> mail(args);
            case "export" -> export(args);
            case "audit" -> audit(args);
            case "test" -> test(args);
            case "infra" -> infra(args);
            case "mvn" -> mvn(args);
            case "bench" -> bench(args);
            case "stop" -> stop(args);
            case "kill" -> kill(args);
            case "start" -> start(args);
            case "replica" -> replica(args);
            case "help", "-h", "--help" -> {
                console.print(USAGE);
                yield 0;
            }
            default -> throw new LauncherException("unknown command '" + arguments.command() + "' ("
                    + String.join(", ", Arguments.COMMANDS) + ")");
        };
    }

    // ------------------------------------------------------------------------------------------------------------
    // commands

    private int up(Arguments.Up options) {
        for (Service service : Service.values()) {
            if (processes.alive(service.id())) {
                throw new LauncherException("the " + stack.name() + " stack is already running (./jhe status,"
                        + " ./jhe down)");
            }
        }
        if (options.build()) {
            buildStale(Build.runtimeModules());
        }
        Database database = ensurePostgres(console);
        ensureDatabaseRelay(database);
        createDatabase(database, options.fresh());
        if (options.fresh()) {
            deleteTree(runDir.resolve("kafka-data"));
        }
        if (!options.detach()) {
            onSignal(() -> {
                console.print("\n");
                console.say("stopping");
                stopStack();
            });
        }
        ServiceJava java = serviceJava();
        console.say("services run on Java " + java.version() + " (" + java.java() + ")"
                + (java.hasAotCache() && settings.aotCache() == Settings.AotCacheMode.OFF
                        ? ", without their AOT caches (JHE_AOT_CACHE=false)" : ""));
        // the migrations need PostgreSQL only: they run while Kafka and the mail server start
        Map<Service, Process> migrations = startMigrations(List.of(Service.values()), database);
        ensureKafka(false, true);
        ensureMail(true);
        awaitMigrations(migrations);
        List<Instance> instances = Stream.of(Service.values()).map(s -> new Instance(s, 0)).toList();
        instances.forEach(instance -> launch(instance, database));
        console.say("waiting for " + instances.size() + " services to report ready");
        waitReady(instances);
        welcome();
        List<String> parts = new ArrayList<>(instances.stream().map(Instance::name).toList());
        parts.addAll(List.of(KAFKA, MAIL));
        endRecordings(parts);
        if (options.detach()) {
            console.say("running in the background; stop with: ./jhe down --stack " + stack.name());
            return 0;
        }
        console.say("press Ctrl-C to stop everything");
        while (true) {
            for (Service service : Service.values()) {
                // a Ctrl-C (the shutdown hook) stops them too, and says so itself
                if (!processes.alive(service.id()) && !stopping) {
                    Processes.tail(processes.log(service.id()), 30).forEach(console.err()::println);
                    console.say(console.red(service.id() + " stopped unexpectedly") + "; stopping the rest");
                    stopStack();
                    return 1;
                }
            }
            Processes.sleep(Duration.ofSeconds(2));
        }
    }

    private int down() {
        stopStack();
        console.ok("the " + stack.name() + " stack is stopped");
        return 0;
    }

    private int status() {
        String row = "%-18s %-8s %-7s %-10s %s%n";
        console.print(String.format(row, "COMPONENT", "PID", "PORT", "STATE", "HEALTH AND METRICS (127.0.0.1 only)"));
        List<String> names = new ArrayList<>(List.of(KAFKA, MAIL));
        Stream.of(Service.values()).map(Service::id).forEach(names::add);
        processes.names().stream().filter(Instance::isReplicaName).sorted().forEach(names::add);
        for (String name : names) {
            Optional<Instance> instance = Instance.parse(name);
            int port = instance.map(stack::httpPort).orElse(name.equals(MAIL) ? stack.smtpPort() : stack.kafkaPort());
            String management = instance.map(i -> "http://127.0.0.1:" + Stack.managementPort(port) + "/q/health  "
                    + "http://127.0.0.1:" + Stack.managementPort(port) + "/q/metrics")
                    .orElse(name.equals(MAIL) ? "SMTP; read with ./jhe mail" : "");
            String state = "stopped";
            if (processes.alive(name)) {
                state = instance.isEmpty() ? "running" : Network.ready(Stack.managementPort(port)) ? "ready"
                        : "starting";
            } else if (Network.listening(port)) {
                state = "port taken by another program";
            }
            console.print(String.format(row, name, processes.pid(name).map(String::valueOf).orElse("-"), port, state,
                    management));
        }
        if (Network.listening(SERVER_POSTGRES_PORT)) {
            console.print(String.format("%-18s %-8s %-7s %s%n", "postgresql", "-", SERVER_POSTGRES_PORT,
                    "server (database " + stack.databaseName() + ")"));
        } else if (Network.listening(EMBEDDED_POSTGRES_PORT)) {
            console.print(String.format("%-18s %-8s %-7s %s%n", "postgresql", "-", EMBEDDED_POSTGRES_PORT,
                    "embedded (database " + stack.databaseName() + ")"));
        } else {
            console.print(String.format("%-18s %-8s %-7s %s%n", "postgresql", "-", "-", "not running"));
        }
        if (stack.usesDatabaseRelay()) {
            console.print(String.format("%-18s %-8s %-7s %s%n", "database relay",
                    processes.pid(RELAY).map(String::valueOf).orElse(""), stack.databaseRelayPort(),
                    processes.alive(RELAY) ? "running" : "stopped (services cut off from PostgreSQL)"));
        }
        console.print("logs: " + settings.root().relativize(processes.logDir()) + "/\n");
        return 0;
    }

    private int logs(List<String> args) {
        if (args.size() != 1) {
            throw new LauncherException("usage: ./jhe logs SERVICE");
        }
        Path log = processes.log(args.get(0));
        if (!Files.isRegularFile(log)) {
            throw new LauncherException("no log for " + args.get(0) + " in " + processes.logDir());
        }
        return runForeground(List.of("tail", "-n", "100", "-f", log.toString()), Map.of());
    }

    private int test(List<String> args) {
        TestInfrastructure infrastructure = startTestInfrastructure();
        AtomicBoolean cleaned = new AtomicBoolean();
        // on Ctrl-C both the shutdown hook and this thread (once Maven is gone) come here: the first one cleans up
        Runnable cleanup = () -> {
            if (cleaned.getAndSet(true)) {
                return;
            }
            if (infrastructure.startedKafka()) {
                processes.stop(KAFKA, settings.kafkaStopSeconds());
            }
            if (infrastructure.startedMail()) {
                processes.stop(MAIL, settings.stopSeconds());
            }
            stopEmbeddedPostgresIfOwner();
        };
        onSignal(cleanup);
        try {
            console.say("running every test: mvn verify " + String.join(" ", args));
            List<String> command = new ArrayList<>(List.of(settings.maven(), "-B", "-ntp", "--fail-at-end", "verify"));
            command.addAll(args);
            int status = runTee(command, infrastructure.environment(), runDir.resolve("maven.log"));
            new TestSummary(settings.root()).print(console);
            return status;
        } finally {
            cleanup.run();
        }
    }

    private int infra(List<String> args) {
        if (!args.isEmpty() && "down".equals(args.get(0))) {
            if (processes.alive(KAFKA)) {
                processes.stop(KAFKA, settings.kafkaStopSeconds());
            }
            if (processes.alive(MAIL)) {
                processes.stop(MAIL, settings.stopSeconds());
            }
            stopEmbeddedPostgresIfOwner();
            return 0;
        }
        TestInfrastructure infrastructure = startTestInfrastructure();
        console.ok("test infrastructure up: database " + stack.databaseName() + " on 127.0.0.1:"
                + infrastructure.database().port() + ", Kafka on " + infrastructure.environment().get("JHE_TEST_KAFKA")
                + ", SMTP on 127.0.0.1:" + stack.smtpPort() + " (./jhe infra down)");
        return 0;
    }

    /** Maven with the test infrastructure up and its address in the environment; the infrastructure stays up. */
    private int mvn(List<String> args) {
        TestInfrastructure infrastructure = new Launcher(settings, console.quiet(), stack).startTestInfrastructure();
        List<String> command = new ArrayList<>(List.of(settings.maven(), "-B", "-ntp"));
        command.addAll(args);
        return runForeground(command, infrastructure.environment());
    }

    private int bench(List<String> args) {
        if (args.isEmpty()) {
            throw new LauncherException("usage: ./jhe bench NAME [ARGS...] (classes in benchmarks/src/main/java)");
        }
        buildStale(Build.runtimeModules());
        if (build().stale(Build.BENCHMARKS)) {
            console.say("building the benchmarks");
            if (runForeground(build().packageCommand(settings.maven(), List.of(Build.BENCHMARKS)), Map.of()) != 0) {
                throw new LauncherException("benchmarks build failed");
            }
            build().built(List.of(Build.BENCHMARKS));
        }
        Database database;
        if (processes.alive(Service.GATEWAY.id())
                && Network.ready(Stack.managementPort(stack.httpPort(Service.GATEWAY)))) {
            console.ok("bench stack already running on " + settings.publicUrl(stack));
            database = ensurePostgres(console.quiet());
        } else {
            up(new Arguments.Up(true, false, true));
            database = ensurePostgres(console.quiet());
        }
        String name = benchmarkClass(args.get(0));
        List<String> rest = args.subList(1, args.size());
        console.say("benchmark " + name + (rest.isEmpty() ? "" : " " + String.join(" ", rest)));
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(JvmOptions.BENCHMARK);
        command.addAll(List.of("-cp", build().classpath(Build.BENCHMARKS), "org.jupyterhealth.exchange.benchmarks."
                + name));
        command.addAll(rest);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JHE_BENCH_URL", settings.publicUrl(stack));
        env.put("JHE_DB_HOST", database.host());
        env.put("JHE_DB_PORT", Integer.toString(database.port()));
        env.put("JHE_DB_NAME", stack.databaseName());
        env.put("JHE_KAFKA_BOOTSTRAP", "127.0.0.1:" + stack.kafkaPort());
        // the options ./jhe up gives a service: the footprint benchmark measures the services with them
        env.put("JHE_SERVICE_JAVA_OPTS", String.join(" ", JvmOptions.SERVICE));
        env.put("JHE_IDENTITY_SERVICE_JAVA_OPTS", String.join(" ", JvmOptions.IDENTITY_SERVICE));
        int status = runForeground(command, env);
        if (status != 0) {
            return status;
        }
        console.say("the bench stack is still running (./jhe down --stack bench)");
        return 0;
    }

    /** A benchmark's class: {@code NAME}, or {@code NAMEBenchmark} when there is no class {@code NAME}. */
    private String benchmarkClass(String name) {
        try (JarFile jar = new JarFile(build().artifact(Build.BENCHMARKS).toFile())) {
            String folder = "org/jupyterhealth/exchange/benchmarks/";
            if (jar.getEntry(folder + name + ".class") == null
                    && jar.getEntry(folder + name + "Benchmark.class") != null) {
                return name + "Benchmark";
            }
            return name;
        } catch (IOException e) {
            throw new LauncherException("cannot read " + build().artifact(Build.BENCHMARKS) + ": " + e.getMessage());
        }
    }

    private int stop(List<String> args) {
        runningPart(args, "stop").ifPresent(this::stopPart);
        return 0;
    }

    private int kill(List<String> args) {
        runningPart(args, "kill").ifPresent(name -> {
            processes.kill(name).ifPresent(pid -> console.ok("killed " + name + " (pid " + pid + ")"));
            endTraining(name, false);
        });
        return 0;
    }

    /** TERM, KILL if it does not end in time; a service that trained its AOT cache keeps it if it ended in time. */
    private void stopPart(String name) {
        boolean training = Files.exists(trainingMark(name));
        if (training) {
            console.say("stopping " + name + ", which then writes its AOT cache");
        }
        boolean clean = processes.stop(name, stopSeconds(name));
        endTraining(name, clean);
    }

    /** The part a command names if it runs; says so when it does not. */
    private Optional<String> runningPart(List<String> args, String command) {
        String name = part(args, command);
        if (processes.alive(name)) {
            return Optional.of(name);
        }
        console.ok(name + " is not running");
        return Optional.empty();
    }

    private int start(List<String> args) {
        String name = part(args, "start");
        Database database = ensurePostgres(console.quiet());
        if (name.equals(KAFKA)) {
            ensureKafka(false, false);
        } else if (name.equals(MAIL)) {
            ensureMail(false);
        } else if (name.equals(RELAY)) {
            ensureDatabaseRelay(database);
        } else {
            Instance instance = Instance.parse(name).orElseThrow();
            if (!processes.alive(name)) {
                awaitMigrations(startMigrations(List.of(instance.service()), database));
            }
            if (launch(instance, database)) {
                waitReady(List.of(instance));
                endRecordings(List.of(instance.name()));
            }
        }
        return 0;
    }

    private int replica(List<String> args) {
        Optional<Service> service = args.size() == 2 && args.get(1).matches("[1-9]")
                ? Service.named(args.get(0)) : Optional.empty();
        if (service.isEmpty()) {
            throw new LauncherException("usage: ./jhe replica SERVICE N (N in 1..9)");
        }
        Database database = ensurePostgres(console.quiet());
        Instance instance = new Instance(service.get(), Integer.parseInt(args.get(1)));
        if (launch(instance, database)) {
            waitReady(List.of(instance));
        }
        return 0;
    }

    /** The one part of a running stack a fault-test command names: a service, a replica, kafka, mail or postgres. */
    private String part(List<String> args, String command) {
        String name = args.size() == 1 ? args.get(0) : "";
        if (name.equals(RELAY) && !stack.usesDatabaseRelay()) {
            throw new LauncherException("only the systest stack reaches PostgreSQL through a relay that can be cut");
        }
        if (!name.equals(KAFKA) && !name.equals(MAIL) && !name.equals(RELAY) && Instance.parse(name).isEmpty()) {
            throw new LauncherException("usage: ./jhe " + command
                    + " NAME (a service, SERVICE-N, kafka, mail or postgres)");
        }
        return name;
    }

    private int stopSeconds(String name) {
        if (Files.exists(trainingMark(name))) {
            return Math.max(settings.stopSeconds(), AOT_TRAINING_STOP_SECONDS);
        }
        return name.equals(KAFKA) ? settings.kafkaStopSeconds() : settings.stopSeconds();
    }

    /** Present while an instance runs a training run of its service's AOT cache. */
    private Path trainingMark(String name) {
        return processes.pidFile(name).resolveSibling(name + AOT_TRAINING_MARK);
    }

    /**
     * Marks a part as training: it records into {@code recording}, which {@link #endTraining} makes its cache. A part
     * is marked before it starts: on a stack that never ran, nothing may have made the pid folder yet.
     */
    private void markTraining(String name, Path recording) {
        Path mark = trainingMark(name);
        try {
            Files.createDirectories(mark.getParent());
            Files.writeString(mark, recording + "\n");
        } catch (IOException e) {
            throw new LauncherException("cannot write " + mark + ": " + e.getMessage());
        }
    }

    /**
     * Ends the training runs among these running parts (services once ready, the broker and the mail server once the
     * services have used them) when they have recorded {@link AotCache#RECORDED_AFTER_READY} more (see {@link
     * AotCache}), one after the other: each JVM writes its cache with a process of its own for several seconds, and
     * several at once on two cores would slow down the stack that was just reported ready. A run whose recording could
     * not be ended writes its cache when it stops, as before.
     */
    private void endRecordings(List<String> parts) {
        List<String> training = parts.stream().filter(name -> Files.exists(trainingMark(name))).toList();
        if (training.isEmpty()) {
            return;
        }
        console.say("recording " + AotCache.RECORDED_AFTER_READY.toSeconds() + " s more of "
                + String.join(", ", training) + " for " + (training.size() > 1
                        ? "their AOT caches, then writing them one by one" : "its AOT cache, then writing it"));
        Processes.sleep(AotCache.RECORDED_AFTER_READY);
        for (String name : training) {
            Optional<Long> pid = processes.pid(name);
            if (stopping || pid.isEmpty() || !processes.alive(name) || !Files.exists(trainingMark(name))) {
                continue;
            }
            long started = System.nanoTime();
            if (AotCache.endRecording(serviceJava(), pid.get(), AOT_WRITE_LIMIT)) {
                // the recording has ended: the JVM writes nothing more at its exit
                endTraining(name, true, String.format(" in %.1f s", (System.nanoTime() - started) / 1e9));
            } else {
                console.say(name + ": its recording goes on; its AOT cache is written when it stops");
            }
        }
    }

    /** After a part that trained its AOT cache ended: the cache is kept if it ended {@code clean}. */
    private void endTraining(String name, boolean clean) {
        endTraining(name, clean, "");
    }

    /** As {@link #endTraining(String, boolean)}; {@code took} says how long the writing took, if known. */
    private void endTraining(String name, boolean clean, String took) {
        Path mark = trainingMark(name);
        if (!Files.exists(mark)) {
            return;
        }
        try {
            Path training = Path.of(Files.readString(mark).trim());
            Files.deleteIfExists(mark);
            Optional<AotCache> cache = aotCacheOf(name);
            if (cache.isPresent() && cache.get().keepTraining(training, clean)) {
                console.ok(name + ": AOT cache written" + took + "; the next start uses it");
            } else if (clean) {
                console.say(name + ": its JVM wrote no AOT cache (log: " + processes.log(name)
                        + "); the next start trains again");
            } else {
                console.say(name + ": the AOT cache it was recording is dropped; the next start trains again");
            }
        } catch (IOException e) {
            throw new LauncherException("cannot read or delete " + mark + ": " + e.getMessage());
        }
    }

    /** The AOT cache of a part of the stack: a service's instance, the broker or the mail server. */
    private Optional<AotCache> aotCacheOf(String name) {
        if (KAFKA.equals(name)) {
            return Optional.of(AotCache.ofKafka(settings.root(), serviceJava(), launcherJar()));
        }
        if (MAIL.equals(name)) {
            return Optional.of(AotCache.ofMailServer(settings.root(), serviceJava()));
        }
        return Instance.parse(name).map(instance -> AotCache.of(settings.root(), instance.service(), serviceJava()));
    }

    // ------------------------------------------------------------------------------------------------------------
    // build

    private Build build() {
        if (build == null) {
            build = new Build(settings.root());
        }
        return build;
    }

    private void buildStale(List<String> modules) {
        List<String> stale = build().staleOf(modules);
        if (stale.isEmpty()) {
            console.ok("build is up to date");
            return;
        }
        String list = String.join(",", stale);
        console.say("building " + list + " (Maven; the first build downloads dependencies and takes a few minutes)");
        if (runForeground(build().packageCommand(settings.maven(), stale), Map.of()) != 0) {
            throw new LauncherException("build failed (run: mvn -B -DskipTests package -pl " + list + " -am)");
        }
        build().built(stale);
        console.ok("built");
    }

    // ------------------------------------------------------------------------------------------------------------
    // PostgreSQL: the server on 127.0.0.1:5432 when it answers, otherwise an embedded one (data in .jhe/postgres)

    private Path postgresDir() {
        return settings.root().resolve(".jhe/postgres");
    }

    private Database ensurePostgres(Console out) {
        if (Network.listening(SERVER_POSTGRES_PORT)) {
            out.ok("PostgreSQL on 127.0.0.1:" + SERVER_POSTGRES_PORT);
            return new Database("127.0.0.1", SERVER_POSTGRES_PORT, false);
        }
        int port = EMBEDDED_POSTGRES_PORT;
        if (!Network.listening(port)) {
            out.say("no PostgreSQL on 127.0.0.1:" + SERVER_POSTGRES_PORT + "; starting an embedded one on " + port
                    + " (data in .jhe/postgres/data)");
            Path dir = postgresDir();
            long pid;
            try {
                Files.createDirectories(dir);
                pid = Processes.spawn(tool(JvmOptions.SMALL_TOOL, DevStack.class.getName(), "postgres",
                        Integer.toString(port), dir.resolve("data").toString()), Map.of(), dir.resolve("postgres.log"));
                Files.writeString(dir.resolve("postgres.pid"), pid + "\n");
                Files.writeString(dir.resolve("owner"), stack.name() + "\n");
            } catch (IOException e) {
                throw new LauncherException("cannot start the embedded PostgreSQL: " + e.getMessage());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Network.listening(port)) {
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    Processes.tail(dir.resolve("postgres.log"), 30).forEach(console.err()::println);
                    throw new LauncherException("embedded PostgreSQL failed to start");
                }
                if (System.nanoTime() > deadline) {
                    throw new LauncherException("embedded PostgreSQL did not start in 120 s");
                }
                Processes.sleep(POLL);
            }
        }
        out.ok("embedded PostgreSQL on 127.0.0.1:" + port);
        return new Database("127.0.0.1", port, true);
    }

    private void stopEmbeddedPostgresIfOwner() {
        Path dir = postgresDir();
        Path owner = dir.resolve("owner");
        try {
            if (!Files.isRegularFile(owner) || !Files.readString(owner).trim().equals(stack.name())) {
                return;
            }
            Optional<ProcessHandle> postgres = Processes.readPid(dir.resolve("postgres.pid"))
                    .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (postgres.isPresent()) {
                postgres.get().destroy();
                if (!Processes.waitForExit(postgres.get(), Duration.ofSeconds(20))) {
                    postgres.get().destroyForcibly();
                }
                console.say("stopped embedded PostgreSQL");
            }
            Files.deleteIfExists(owner);
            Files.deleteIfExists(dir.resolve("postgres.pid"));
        } catch (IOException e) {
            throw new LauncherException("cannot stop the embedded PostgreSQL: " + e.getMessage());
        }
    }

    /** Creates the stack's database (again, with {@code fresh}); warns when nothing keeps statistics up to date. */
    private void createDatabase(Database database, boolean fresh) {
        List<String> lines;
        try {
            lines = DevStack.createDatabase(database.host(), database.port(), stack.databaseName(), fresh);
        } catch (SQLException e) {
            throw new LauncherException("cannot create the database " + stack.databaseName() + " on "
                    + database.host() + ":" + database.port() + ": " + e.getMessage());
        }
        for (String line : lines) {
            if (line.startsWith(DevStack.WARNING)) {
                console.sayToErr(console.red("warning:") + " PostgreSQL on " + database.host() + ":" + database.port()
                        + ": " + line.substring(DevStack.WARNING.length()));
            } else if (line.startsWith(DevStack.HINT)) {
                console.sayToErr("         " + line.substring(DevStack.HINT.length()));
            } else {
                console.detail(line);
            }
        }
    }

    /**
     * The systest stack's services reach PostgreSQL through a relay ({@link DatabaseRelay}) that {@code ./jhe stop
     * postgres} stops, dropping every open connection, and {@code ./jhe start postgres} starts again: a database
     * outage for fault tests that leaves the server itself, which everything else on the machine shares, alone.
     */
    private void ensureDatabaseRelay(Database database) {
        if (!stack.usesDatabaseRelay() || processes.alive(RELAY)) {
            return;
        }
        int port = stack.databaseRelayPort();
        if (Network.listening(port)) {
            throw new LauncherException("port " + port + " (for the database relay) is taken by another program");
        }
        processes.start(RELAY, tool(JvmOptions.SMALL_TOOL, DevStack.class.getName(), "relay", Integer.toString(port),
                database.host(), Integer.toString(database.port())), Map.of());
        waitForPort(RELAY, port, Duration.ofSeconds(30));
        console.ok("services reach PostgreSQL through a relay on 127.0.0.1:" + port);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Kafka: a real broker (KRaft, single node) from the kafka_2.13 jars of the Quarkus BOM

    /**
     * Starts the stack's Kafka broker unless it is running, and creates the topics. {@code train}: a broker started
     * without a fresh AOT cache records one, on the stacks that train ({@link #aotOptions}), which {@link
     * #endRecordings} ends once the services have used it.
     */
    private void ensureKafka(boolean fresh, boolean train) {
        int port = stack.kafkaPort();
        if (Network.listening(port)) {
            console.ok("Kafka already on 127.0.0.1:" + port);
        } else {
            Path data = runDir.resolve("kafka-data");
            Path properties = runDir.resolve("kafka.properties");
            if (fresh) {
                deleteTree(data);
            }
            try {
                Files.createDirectories(data);
                Files.writeString(properties, KafkaBroker.serverPropertiesFile(stack, data));
            } catch (IOException e) {
                throw new LauncherException("cannot write " + properties + ": " + e.getMessage());
            }
            if (!Files.exists(data.resolve("meta.properties"))) {
                List<String> format = tool(List.of("-Dlog4j2.configurationFile=classpath:kafka-tools-log4j2.properties"),
                        "kafka.tools.StorageTool", "format", "-t", KafkaBroker.CLUSTER_ID, "-c", properties.toString());
                if (runQuietly(format) != 0) {
                    throw new LauncherException("could not format the Kafka data folder " + data);
                }
            }
            console.say("starting Kafka on 127.0.0.1:" + port);
            List<String> options = new ArrayList<>(JvmOptions.KAFKA);
            options.add("-Dlog4j2.configurationFile=classpath:kafka-log4j2.properties");
            List<String> aot = aotOptions(KAFKA, train);
            options.addAll(aot);
            processes.start(KAFKA, withAotJava(tool(options, "kafka.Kafka", properties.toString()), aot), Map.of());
            waitForPort(KAFKA, port, Duration.ofSeconds(90));
            console.ok("Kafka on 127.0.0.1:" + port);
        }
        try {
            DevStack.createTopics("127.0.0.1:" + port).forEach(console::detail);
        } catch (ExecutionException e) {
            throw new LauncherException("could not create the topics on 127.0.0.1:" + port + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        } catch (IllegalStateException e) {
            throw new LauncherException(e.getMessage());
        }
    }

    /** A java command line of the broker or the mail server: the services' JDK when it runs with an AOT cache. */
    private List<String> withAotJava(List<String> command, List<String> aot) {
        if (!aot.isEmpty()) {
            // the cache belongs to the JDK that made it: the services' (25 or later)
            command.set(0, serviceJava().java().toString());
        }
        return command;
    }

    // ------------------------------------------------------------------------------------------------------------
    // mail: GreenMail standalone from Maven Central, keeping every message for ./jhe mail and the tests

    /**
     * Starts the stack's mail server unless it is running; {@code train} as for {@link #ensureKafka}.
     */
    private void ensureMail(boolean train) {
        int port = stack.smtpPort();
        if (Network.listening(port)) {
            console.ok("mail server already on 127.0.0.1:" + port);
            return;
        }
        Path jar = build().mailServer();
        if (!Files.isRegularFile(jar)) {
            throw new LauncherException("no mail server at " + jar + " (run: mvn -B -DskipTests package -pl devstack"
                    + " -am)");
        }
        List<String> aot = aotOptions(MAIL, train);
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(aot);
        command.addAll(MailServer.command(stack, jar));
        processes.start(MAIL, withAotJava(command, aot), Map.of());
        waitForPort(MAIL, port, Duration.ofSeconds(60));
        waitForPort(MAIL, stack.mailApiPort(), Duration.ofSeconds(60));
        console.ok("mail server (SMTP) on 127.0.0.1:" + port);
    }

    private int mail(List<String> args) {
        if (args.size() > 1) {
            throw new LauncherException("usage: ./jhe mail [ADDRESS]");
        }
        if (!Network.listening(stack.mailApiPort())) {
            throw new LauncherException("the " + stack.name() + " stack's mail server is not running (./jhe up)");
        }
        List<MailServer.Mail> mails;
        try {
            mails = MailServer.read(stack, args.isEmpty() ? null : args.get(0));
        } catch (IOException e) {
            throw new LauncherException("cannot read the mail: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
        if (mails.isEmpty()) {
            console.ok("no mail" + (args.isEmpty() ? "" : " for " + args.get(0)));
            return 0;
        }
        // the latest ten, the newest last, next to the prompt
        for (MailServer.Mail mail : mails.subList(Math.max(0, mails.size() - 10), mails.size())) {
            console.print("\n" + mail.show());
        }
        return 0;
    }

    /** {@code ./jhe export STUDY_ID DIR}: a study's bulk export through the stack's public URL ({@link BulkExport}). */
    private int export(List<String> args) {
        if (args.size() != 2) {
            throw new LauncherException("usage: ./jhe export STUDY_ID DIR (with an access token in JHE_TOKEN)");
        }
        String token = System.getenv("JHE_TOKEN");
        if (token == null || token.isBlank()) {
            throw new LauncherException("set JHE_TOKEN to an access token of the user who exports (POST /o/token)");
        }
        if (!token.trim().matches("[\\x21-\\x7e]{1,8192}")) {
            throw new LauncherException("JHE_TOKEN is not an access token (printable characters without spaces)");
        }
        BulkExport export = new BulkExport(java.net.http.HttpClient.newHttpClient(),
                settings.publicUrl(stack) + "/fhir/r5", token.trim(), Duration.ofSeconds(5));
        try {
            BulkExport.Result result = export.run(args.get(0), Path.of(args.get(1)), console::say);
            console.ok(result.resources() + " resources in " + result.files().size() + " files in " + args.get(1));
            return 0;
        } catch (IOException e) {
            throw new LauncherException("the export did not complete: " + e.getMessage()
                    + "; the same command goes on with it (" + args.get(1) + "/" + BulkExport.JOB_FILE + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /**
     * {@code ./jhe audit verify}: recomputes the hash chains of the stack's audit store ({@code AuditVerifier}) and
     * prints OK with the number of events, or the first broken event (exit status 1).
     */
    private int audit(List<String> args) {
        if (args.size() != 1 || !"verify".equals(args.get(0))) {
            throw new LauncherException("usage: ./jhe audit verify");
        }
        Database database = ensurePostgres(console.quiet());
        String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + stack.databaseName();
        AuditVerifier.Result result;
        try (Connection connection = DriverManager.getConnection(url, "postgres", null)) {
            result = AuditVerifier.verify(connection, "ingest");
        } catch (SQLException e) {
            throw new LauncherException("cannot read the audit trail of database " + stack.databaseName() + ": "
                    + e.getMessage());
        }
        if (result.ok()) {
            console.ok("audit trail OK: " + result.events() + " events, every chain intact");
            return 0;
        }
        console.error("audit trail BROKEN after " + result.events() + " intact events: " + result.broken());
        return 1;
    }

    /**
     * The modules' tests' own infrastructure: the database {@code jhe_test}, a Kafka broker on 19092 and a mail
     * server on 19097 (all shifted by the port offset), and the environment that tells the tests where they are.
     */
    private TestInfrastructure startTestInfrastructure() {
        Database database = ensurePostgres(console);
        createDatabase(database, false);
        boolean startedKafka = !processes.alive(KAFKA) && !Network.listening(stack.kafkaPort());
        ensureKafka(true, false);
        boolean startedMail = !processes.alive(MAIL) && !Network.listening(stack.smtpPort());
        ensureMail(false);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JHE_DB_HOST", database.host());
        env.put("JHE_DB_PORT", Integer.toString(database.port()));
        env.put("JHE_TEST_DB_NAME", stack.databaseName());
        env.put("JHE_TEST_KAFKA", "127.0.0.1:" + stack.kafkaPort());
        env.put("JHE_TEST_SMTP_PORT", Integer.toString(stack.smtpPort()));
        env.put("JHE_TEST_MAIL_API_PORT", Integer.toString(stack.mailApiPort()));
        return new TestInfrastructure(database, startedKafka, startedMail, env);
    }

    private record TestInfrastructure(Database database, boolean startedKafka, boolean startedMail,
            Map<String, String> environment) {
    }

    // ------------------------------------------------------------------------------------------------------------
    // services

    /** Starts an instance unless it runs; false when it already did. */
    private boolean launch(Instance instance, Database database) {
        if (stopping) {
            throw new LauncherException("stopping");
        }
        String name = instance.name();
        int port = stack.httpPort(instance);
        if (processes.alive(name)) {
            console.ok(name + " already running on " + port);
            return false;
        }
        if (Network.listening(port)) {
            throw new LauncherException("port " + port + " (for " + name + ") is taken by another program");
        }
        int management = Stack.managementPort(port);
        if (Network.listening(management)) {
            throw new LauncherException("port " + management + " (management of " + name + ") is taken by another"
                    + " program");
        }
        ServiceJava java = serviceJava();
        List<String> command = new ArrayList<>(List.of(java.java().toString()));
        command.addAll(JvmOptions.service(stack, instance.service(), settings.javaOptions(), java));
        List<String> aot = aotOptions(name, instance.replica() == 0);
        command.addAll(aot);
        command.addAll(List.of("-jar", build().artifact(instance.service().id()).toString()));
        Map<String, String> env = ServiceEnvironment.of(settings, stack, instance, database);
        if (seeded(instance.service(), database)) {
            // its demo seed is applied: the service need not load Flyway and the JDBC driver and open a connection at
            // its start to find nothing to do (ingest-service: 13,780 classes instead of 14,276)
            env.put(ServiceEnvironment.demoSeedSwitch(instance.service()), "false");
        }
        processes.start(name, command, env);
        if (AotCache.recording(aot).isPresent()) {
            console.say(name + " has no AOT cache for this build and Java yet: this run records its start and"
                    + " writes one " + AotCache.RECORDED_AFTER_READY.toSeconds() + " s after it is ready");
        }
        return true;
    }

    /**
     * Starts the migration runs of the services whose schema lacks a migration of their build ({@link Migrations}),
     * all at once (each migrates its own schema): each service's own program in its migration run
     * ({@link ServiceEnvironment#migration}), with its AOT cache when it has a fresh one (never training one: the
     * service's own start does). Their output goes to the service's log. The services then start without migrating.
     */
    private Map<Service, Process> startMigrations(List<Service> services, Database database) {
        Map<Service, Process> runs = new LinkedHashMap<>();
        ServiceJava java = serviceJava();
        for (Service service : services) {
            if (!service.migrates()) {
                continue;
            }
            Set<String> missing = missingMigrations(service, database);
            if (missing.isEmpty()) {
                continue;
            }
            List<String> command = new ArrayList<>(List.of(java.java().toString()));
            command.addAll(JvmOptions.migration(JvmOptions.service(stack, service, settings.javaOptions(), java)));
            if (java.hasAotCache() && settings.aotCache() != Settings.AotCacheMode.OFF) {
                command.addAll(AotCache.of(settings.root(), service, java).options(null));
            }
            command.addAll(List.of("-jar", build().artifact(service.id()).toString()));
            console.say("migrating " + service.id() + " (" + missing.size() + " migration"
                    + (missing.size() == 1 ? "" : "s") + " to apply)");
            runs.put(service, processes.run(service.id(), command,
                    ServiceEnvironment.migration(settings, stack, service, database)));
        }
        return runs;
    }

    /**
     * The migrations of a service's build that its schema lacks; when the database cannot tell (it refuses the
     * connection), all of them: the migration run then says what is wrong.
     */
    private Set<String> missingMigrations(Service service, Database database) {
        Migrations migrations = Migrations.of(build().applicationJar(service.id()));
        String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + stack.databaseName();
        try (Connection db = DriverManager.getConnection(url, settings.dbAdminUser(), settings.dbAdminPassword())) {
            return migrations.missing(db);
        } catch (SQLException e) {
            return migrations.versions();
        }
    }

    /**
     * Whether the service has a demo seed and its schema has every script of it; false when the database cannot
     * tell (the service then applies what is missing, as it would have).
     */
    private boolean seeded(Service service, Database database) {
        if (!service.migrates()) {
            return false;
        }
        Migrations seed = Migrations.seed(build().applicationJar(service.id()));
        if (seed.versions().isEmpty()) {
            return false;
        }
        String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + stack.databaseName();
        try (Connection db = DriverManager.getConnection(url, settings.dbAdminUser(), settings.dbAdminPassword())) {
            return seed.missing(db).isEmpty();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Waits for the migration runs to end; fails, with the end of the log, if one did not end well in time. */
    private void awaitMigrations(Map<Service, Process> runs) {
        long deadline = System.nanoTime() + Duration.ofSeconds(settings.startSeconds()).toNanos();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<Service, Process> run : runs.entrySet()) {
            String name = run.getKey().id();
            Process process = run.getValue();
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!Processes.waitForExit(process.toHandle(), left)) {
                process.destroyForcibly();
                Processes.waitForExit(process.toHandle(), Duration.ofSeconds(5));
                failed.add(name + " (not done after " + settings.startSeconds() + " s)");
            } else if (exitCode(process) != 0) {
                Processes.tail(processes.log(name), 40).forEach(console.err()::println);
                failed.add(name + " (exit code " + exitCode(process) + ")");
            } else {
                console.ok(name + " migrated");
            }
        }
        if (!failed.isEmpty()) {
            throw new LauncherException("migrations failed: " + String.join(", ", failed) + " (logs: "
                    + processes.logDir() + ")");
        }
    }

    /**
     * The exit code of a process seen to have ended through its handle: {@link Process#exitValue()} may not have
     * recorded the end yet then (it throws), {@link Process#waitFor()} returns it at once.
     */
    private static int exitCode(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * On JDK 25 or later, the JVM options of a part's AOT cache (a service's instance, the broker, the mail server):
     * the cache when it is fresh (one cache per build and JDK, whichever stack made it); otherwise, on the dev stack,
     * a recording when the part {@code mayTrain} (a service's first instance, not its replicas; the broker and the
     * mail server when {@code ./jhe up} starts them, which ends their recordings once the services are ready), marked
     * as training. The other stacks record only with {@code JHE_AOT_CACHE=train}: the system tests want a stopped
     * service gone within 5 s of TERM, before its JVM could have written a cache, and the throughput benchmarks
     * measure services as they run, not as they record. None when {@code JHE_AOT_CACHE=false}. The broker and the
     * mail server come before every service's start, so what their caches save the whole stack's start gains
     * (docs/architecture.md, "The first readiness probe, and the JVM's own start").
     */
    private List<String> aotOptions(String name, boolean mayTrain) {
        ServiceJava java = serviceJava();
        if (!java.hasAotCache() || settings.aotCache() == Settings.AotCacheMode.OFF) {
            return List.of();
        }
        // a training run that ended without ./jhe (killed, the machine restarted): its recording is no cache
        endTraining(name, false);
        boolean train = mayTrain && (settings.aotCache() == Settings.AotCacheMode.TRAIN || "dev".equals(stack.name()));
        List<String> options = aotCacheOf(name).orElseThrow().options(train ? stack.folder() : null);
        AotCache.recording(options).ifPresent(recording -> markTraining(name, recording));
        return options;
    }

    private ServiceJava serviceJava() {
        if (serviceJava == null) {
            serviceJava = ServiceJava.find(settings.javaHome(), JVM_DIR);
        }
        return serviceJava;
    }

    private void waitReady(List<Instance> instances) {
        long deadline = System.nanoTime() + Duration.ofSeconds(settings.startSeconds()).toNanos();
        List<Instance> pending = new ArrayList<>(instances);
        while (!pending.isEmpty()) {
            for (Instance instance : List.copyOf(pending)) {
                String name = instance.name();
                if (!processes.alive(name)) {
                    Processes.tail(processes.log(name), 40).forEach(console.err()::println);
                    throw new LauncherException(name + " exited during start-up (log: " + processes.log(name) + ")");
                }
                int port = stack.httpPort(instance);
                if (Network.ready(Stack.managementPort(port))) {
                    console.ok(name + " ready on 127.0.0.1:" + port);
                    pending.remove(instance);
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException("not ready after " + settings.startSeconds() + " s: " + String.join(" ",
                        pending.stream().map(Instance::name).toList()) + " (logs: " + processes.logDir() + ")");
            }
            Processes.sleep(Duration.ofMillis(500));
        }
    }

    private void waitForPort(String name, int port, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Network.listening(port)) {
            if (!processes.alive(name)) {
                Processes.tail(processes.log(name), 40).forEach(console.err()::println);
                throw new LauncherException(name + " exited (log: " + processes.log(name) + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException(name + " did not open port " + port + " in " + limit.toSeconds()
                        + " s (log: " + processes.log(name) + ")");
            }
            Processes.sleep(POLL);
        }
    }

    private void welcome() {
        String url = settings.publicUrl(stack);
        console.print(Welcome.text(url, Stack.managementPort(stack.gatewayPort()), stack.smtpPort(),
                settings.root().relativize(processes.logDir()) + "/", console.elapsedSeconds(), console::bold));
    }

    /**
     * Replicas first, then the services (gateway first), Kafka, the mail server, the database relay and an embedded
     * PostgreSQL.
     */
    private synchronized void stopStack() {
        stopping = true;
        List<String> names = new ArrayList<>(processes.names().stream().filter(Instance::isReplicaName).sorted()
                .toList());
        Service.STOP_ORDER.stream().map(Service::id).forEach(names::add);
        names.add(KAFKA);
        names.add(MAIL);
        names.add(RELAY);
        for (String name : names) {
            if (processes.alive(name)) {
                stopPart(name);
            } else {
                processes.forget(name);
                endTraining(name, false);
            }
        }
        stopEmbeddedPostgresIfOwner();
    }

    // ------------------------------------------------------------------------------------------------------------
    // processes of our own

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** A java command line running a class from devstack's classpath (this launcher's jar and its libraries). */
    private List<String> tool(List<String> options, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(options);
        command.addAll(List.of("-cp", toolClasspath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The jar this class was loaded from ({@code ./jhe} runs a copy of devstack's, which a build in progress does not
     * rewrite under the running tools), with devstack's runtime libraries.
     */
    private String toolClasspath() {
        return launcherJar() + File.pathSeparator + build().libraries(Build.DEVSTACK).resolve("*");
    }

    private static Path launcherJar() {
        try {
            return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command in the foreground, sharing this terminal; returns its exit code. */
    private int runForeground(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(settings.root().toFile()).inheritIO();
        builder.environment().putAll(env);
        return waitFor(start(builder));
    }

    /** Runs a tool whose standard output nobody needs; its errors still show. */
    private int runQuietly(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(settings.root().toFile())
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT);
        return waitFor(start(builder));
    }

    /** Runs a command with its output (errors included) shown and copied to {@code log}. */
    private int runTee(List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(settings.root().toFile())
                .redirectErrorStream(true).redirectInput(Redirect.INHERIT);
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Process process = start(builder);
            try (InputStream in = process.getInputStream(); OutputStream file = Files.newOutputStream(log)) {
                byte[] buffer = new byte[8192];
                PrintStream out = System.out;
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                    out.flush();
                    file.write(buffer, 0, read);
                }
            }
            return waitFor(process);
        } catch (IOException e) {
            throw new LauncherException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LauncherException("cannot run " + builder.command().get(0) + ": " + e.getMessage());
        }
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /** Runs {@code action} when the JVM ends on a signal (Ctrl-C, TERM), not on an exit of ours. */
    private static void onSignal(Runnable action) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!exiting) {
                action.run();
            }
        }, "jhe-on-signal"));
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new LauncherException("cannot delete " + folder + ": " + e.getMessage());
        }
    }
}
