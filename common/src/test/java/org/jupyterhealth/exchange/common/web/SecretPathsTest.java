package org.jupyterhealth.exchange.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretPathsTest {
    private static final String TOKEN = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";

    @ParameterizedTest
    @CsvSource({
            "/api/v1/invitation/" + TOKEN + ", /api/v1/invitation/{token}",
            "/api/v1/invitation/" + TOKEN + "/, /api/v1/invitation/{token}/",
            "/api/v1/Invitation/" + TOKEN + ", /api/v1/Invitation/{token}",
            "/api/v1/%69nvitation/" + TOKEN + ", /api/v1/%69nvitation/{token}",
            "/api/v1/invitation;x=1/" + TOKEN + ";y, /api/v1/invitation;x=1/{token}",
            "/api/v1/invitation//" + TOKEN + ", /api/v1/invitation//{token}",
            "/api/v1/invitation/./" + TOKEN + ", /api/v1/invitation/./{token}",
            "/api/v1/invitation/x/../" + TOKEN + ", /api/v1/invitation/{token}/../{token}",
            "/api/v1/invitation/%41" + TOKEN + ", /api/v1/invitation/{token}",
            "/api/v1/invitation/" + TOKEN + "%zz, /api/v1/invitation/{token}",
    })
    void replacesAnInvitationTokenHoweverThePathSpellsIt(String path, String redacted) {
        assertThat(SecretPaths.redact(path)).isEqualTo(redacted).doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1/invitation", "/api/v1/invitation/", "/api/v1/invitation/42",
            "/api/v1/invitation/42/", "/api/v1/patients/40001/invitation_link", "/fhir/r5/Observation/60001",
            "/o/token/", "/", "", "/api/v1/%70atients/%zz" })
    void leavesPathsWithoutACredentialAsTheyAre(String path) {
        assertThat(SecretPaths.redact(path)).isSameAs(path);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/v1/invitation/\u00e9" + TOKEN, "/api/v1/invitation/%C3%A9" + TOKEN,
            "/api/v1/invitation/%", "/api/v1/invitation/%4" })
    void replacesSegmentsThatAreNeitherAnIdNorDecodable(String path) {
        assertThat(SecretPaths.redact(path)).isEqualTo("/api/v1/invitation/{token}");
    }
}
