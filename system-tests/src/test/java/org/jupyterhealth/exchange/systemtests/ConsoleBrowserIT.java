package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

    private static int run(ProcessBuilder builder, int minutes) throws IOException, InterruptedException {
        Process process = builder.directory(BROWSER_TESTS.toFile()).inheritIO().start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
