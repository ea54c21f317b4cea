package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** valueAttachment.data as apps send it: one line, or wrapped; anything else is not base64 (a 400 for the entry). */
class EntryCheckerBase64Test {
    private static final String JSON = "{\"header\":{\"uuid\":\"ä-1\"},\"body\":{\"heart_rate\":{\"value\":60}}}";
    private static final String ENCODED = Base64.getEncoder().encodeToString(JSON.getBytes(StandardCharsets.UTF_8));

    @Test
    void oneLineIsDecoded() {
        assertThat(text(EntryChecker.base64(ENCODED))).isEqualTo(JSON);
    }

    @Test
    void wrappedOrIndentedTextIsDecodedWithoutItsWhitespace() {
        String mime = Base64.getMimeEncoder(20, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(JSON.getBytes(StandardCharsets.UTF_8));
        assertThat(mime).contains("\r\n");
        assertThat(text(EntryChecker.base64(mime))).isEqualTo(JSON);
        String spaced = " " + ENCODED.substring(0, 10) + "\t\n " + ENCODED.substring(10) + "\u000B\f ";
        assertThat(text(EntryChecker.base64(spaced))).isEqualTo(JSON);
    }

    @Test
    void textOutsideTheAlphabetIsRefused() {
        assertThat(EntryChecker.base64("not base64!")).isNull();
        assertThat(EntryChecker.base64(ENCODED.substring(0, 10) + "\u00A0" + ENCODED.substring(10))).isNull();
        assertThat(EntryChecker.base64(ENCODED + "=")).isNull();
    }

    @Test
    void emptyTextIsNoBytes() {
        assertThat(EntryChecker.base64("")).isEmpty();
        assertThat(EntryChecker.base64(" \n ")).isEmpty();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
