package org.jupyterhealth.exchange.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;

/**
 * The local run's exception: http to {@code localhost} by that name (the demo's patient app), and nowhere else: no
 * address literal, no other local name, no service's internal API.
 */
class UrlRulesTest {

    @Test
    void theLocalRunAlsoAcceptsHttpToLocalhostOnly() {
        for (String url : new String[] { "http://localhost:8001/clients/patient-access/?code=CODE",
                "http://localhost/CODE", "http://LocalHost:8001/internal-ish/CODE", "https://app.example/CODE",
                "https://app.example/internal/CODE" }) {
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
    void theLocalRunRefusesAddressLiteralsOtherLocalNamesAndTheInternalApi() {
        for (String url : new String[] { "http://127.0.0.1:8081/internal/accounts", "http://127.0.0.1:8001/CODE",
                "http://[::1]:8001/CODE", "http://2130706433:8001/CODE", "http://0.0.0.0:8001/CODE",
                "http://app.localhost:8001/CODE", "http://localhost.:8001/CODE", "http://localhost.localdomain/CODE",
                "http://localhost:8081/internal/accounts", "http://localhost:8082/internal",
                "http://LOCALHOST/Internal/x",
                "http://localhost:8081//internal/accounts", "http://localhost:8081/./internal/accounts",
                "http://localhost:8081/x/../internal/accounts", "http://localhost:8081/%69nternal/accounts",
                "http://localhost:8081/internal;x/accounts", "http://localhost:8081/%2Finternal/accounts" }) {
            assertThatThrownBy(() -> UrlRules.check("invitationUrl", url, true)).as(url)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors()).containsKey("invitationUrl"));
        }
        assertThatThrownBy(() -> UrlRules.check("invitationUrl", "http://localhost:8081/internal/accounts", true))
                .hasMessage("invitationUrl: URLs of the services' internal API are not allowed.");
        assertThatThrownBy(() -> UrlRules.check("invitationUrl", "http://127.0.0.1:8001/CODE", true))
                .hasMessage("invitationUrl: Only https URLs, or http URLs of localhost, are allowed.");
    }

    @Test
    void outsideTheLocalRunHttpIsRefusedEvenToThisMachine() {
        assertThatThrownBy(() -> UrlRules.check("invitationUrl", "http://localhost:8001/CODE", false))
                .isInstanceOf(ValidationException.class)
                .hasMessage("invitationUrl: Only https URLs are allowed.");
    }
}
