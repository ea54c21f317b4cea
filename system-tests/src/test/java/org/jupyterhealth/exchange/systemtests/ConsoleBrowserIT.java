package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

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
        uploadPetersBloodPressures();
        ProcessBuilder test = new ProcessBuilder("node", "--test", "--test-reporter=spec", "console.test.mjs");
        test.environment().put("JHE_BASE_URL", SystemStack.BASE_URL);
        test.environment().put("JHE_ARTEFACTS", ARTEFACTS.toString());
        test.environment().put("JHE_CHROMIUM", chromium);
        assertThat(run(test, 5)).as("the browser tests (their report is above)").isZero();
        assertThat(ARTEFACTS.resolve("patient.png")).exists();
        assertThat(readQr(ARTEFACTS.resolve("invitation-qr.png"))).as("the QR code holds the invitation link")
                .isEqualTo(Files.readString(ARTEFACTS.resolve("invitation-link.txt")).strip());
    }

    /**
     * The text of the QR code in a screenshot of the code's element alone, read with ZXing as a pure barcode (the
     * image is the code and its quiet zone): searching the image for finder patterns instead failed on some codes
     * whose data modules looked like one (a random invitation's code, read fine as a pure barcode).
     */
    private static String readQr(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE,
                    DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        } catch (ReaderException e) {
            throw new AssertionError("no QR code could be read in " + png, e);
        }
    }

    /**
     * Three blood pressures of Peter's in the last days, uploaded by Mary as his clinic's manager, so that the plot
     * of the last 30 days has points to draw whatever the tests before this one did with the demo data.
     */
    private static void uploadPetersBloodPressures() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        List<String> entries = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int[][] values = { { 118, 76 }, { 124, 81 }, { 121, 79 } };
        for (int i = 0; i < values.length; i++) {
            String body = "{\"systolic_blood_pressure\":{\"value\":" + values[i][0] + ",\"unit\":\"mmHg\"},"
                    + "\"diastolic_blood_pressure\":{\"value\":" + values[i][1] + ",\"unit\":\"mmHg\"},"
                    + "\"effective_time_frame\":{\"date_time\":\"" + now.minus(3 - i, ChronoUnit.DAYS) + "\"}}";
            entries.add(Uploads.entry(40001, Uploads.BLOOD_PRESSURE, UUID.randomUUID().toString(), body));
        }
        Uploads.post(mary, Uploads.bundle("batch", entries)).then().statusCode(200);
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
