package org.jupyterhealth.exchange.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void aSafeIdIsKeptAndAnythingElseIsReplacedByAFreshVersion4Uuid() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        Set<String> generated = new HashSet<>();
        for (String unsafe : new String[] { null, "", "a b", "x\ny", "é", "a".repeat(129) }) {
            String id = RequestIds.acceptOrGenerate(unsafe);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(generated.add(id)).isTrue();
        }
    }
}
