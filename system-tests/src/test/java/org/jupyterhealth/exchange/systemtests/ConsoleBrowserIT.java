package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console in a real browser, through the gateway of the running system: Playwright drives Debian's Chromium
 * (src/test/browser/console.test.mjs, Node's test runner), axe-core checks every page, and the screenshots of the main
 * pages are kept in target/console-browser. The npm packages are installed from the lock file when missing;
 * Chromium is installed by {@code ./jhe test} (and so by CI) when missing.
 */
@Order(60)
@ExtendWith(SystemStack.class)
class ConsoleBrowserIT {
    private static final Path BROWSER_TESTS = SystemStack.ROOT.resolve("system-tests/src/test/browser");
    private static final Path ARTEFACTS = SystemStack.ROOT.resolve("system-tests/target/console-browser");

    @Test
    void theConsoleWorksInABrowserForAManagerAndAViewer() throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("JHE_CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium (apt-get install chromium; ./jhe test installs it)").exists();
        if (!Files.isDirectory(BROWSER_TESTS.resolve("node_modules/playwright-core"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), 5)).as("npm ci").isZero();
        }
        ProcessBuilder test = new ProcessBuilder("node", "--test", "--test-reporter=spec", "console.test.mjs");
        test.environment().put("JHE_BASE_URL", SystemStack.BASE_URL);
        test.environment().put("JHE_ARTEFACTS", ARTEFACTS.toString());
        test.environment().put("JHE_CHROMIUM", chromium);
        assertThat(run(test, 5)).as("the browser tests (their report is above)").isZero();
        assertThat(ARTEFACTS.resolve("patient.png")).exists();
    }

    private static int run(List<String> command, int minutes) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), minutes);
    }

    /** Runs a command in the browser tests' folder, its output copied to the test's own (the test report's). */
    private static int run(ProcessBuilder builder, int minutes) throws IOException, InterruptedException {
        Process process = builder.directory(BROWSER_TESTS.toFile()).redirectErrorStream(true).start();
        Thread copy = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("(output lost: " + e.getMessage() + ")");
            }
        });
        copy.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            copy.join(5_000);
            return -1;
        }
        copy.join(5_000);
        return process.exitValue();
    }
}
