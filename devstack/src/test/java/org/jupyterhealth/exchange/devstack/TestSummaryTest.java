package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSummaryTest {
    @TempDir
    Path root;

    @Test
    void countsSurefireAndFailsafeReportsPerModuleAndInTotal() throws IOException {
        module("admin-service");
        report("admin-service/target/surefire-reports/TEST-a.xml",
                "<testsuite name=\"a\" tests=\"10\" failures=\"1\" errors=\"0\" skipped=\"2\" time=\"1\">");
        report("admin-service/target/failsafe-reports/TEST-b.xml",
                "<testsuite tests=\"3\" errors=\"1\" failures=\"0\" skipped=\"0\">");
        module("common");
        report("common/target/surefire-reports/TEST-c.xml",
                "<testsuite xmlns:xsi=\"x\" name=\"c\" time=\"0.1\" tests=\"4\" errors=\"0\" skipped=\"0\" failures=\"0\">");
        report("common/target/surefire-reports/c.txt", "<testsuite tests=\"99\">");
        module("docs-only");

        assertThat(new TestSummary(root).counts()).containsExactly(
                new TestSummary.Counts("admin-service", 13, 1, 1, 2),
                new TestSummary.Counts("common", 4, 0, 0, 0));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        new TestSummary(root).print(new Console(false, out, out));
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Test summary")
                .contains("  admin-service        13 tests    1 failed    1 errors    2 skipped")
                .contains("  TOTAL                17 tests    2 failed or in error");
    }

    private void module(String name) throws IOException {
        Files.createDirectories(root.resolve(name));
        Files.writeString(root.resolve(name).resolve("pom.xml"), "<project/>");
    }

    private void report(String file, String suite) throws IOException {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), "<?xml version=\"1.0\"?>\n" + suite + "<testcase/></testsuite>\n");
    }
}
