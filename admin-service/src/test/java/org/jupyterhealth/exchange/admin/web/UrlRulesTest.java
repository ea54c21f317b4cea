package org.jupyterhealth.exchange.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;

/** The local run's exception: http to this machine (the demo's patient app), and nowhere else. */
class UrlRulesTest {

    @Test
    void theLocalRunAlsoAcceptsHttpToThisMachineOnly() {
        for (String url : new String[] { "http://localhost:8001/clients/patient-access/?code=CODE",
                "http://127.0.0.1:8001/CODE", "http://[::1]:8001/CODE", "https://app.example/CODE" }) {
            assertThat(UrlRules.check("invitationUrl", url, true)).isEqualTo(url);
        }
        for (String url : StoredUrlsTest.REFUSED) {
            if (url.startsWith("http://localhost:8001")) {
                continue;
            }
            assertThatThrownBy(() -> UrlRules.check("invitationUrl", url, true)).as(url)
                    .isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> UrlRules.check("iconUrl", "http://192.168.1.10/icon.png", true))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).containsKey("iconUrl"));
    }

    @Test
    void outsideTheLocalRunHttpIsRefusedEvenToThisMachine() {
        assertThatThrownBy(() -> UrlRules.check("invitationUrl", "http://localhost:8001/CODE", false))
                .isInstanceOf(ValidationException.class)
                .hasMessage("invitationUrl: Only https URLs are allowed.");
    }
}
