package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Decision;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Item;

/** Upload decisions are reused for the same question within their time to live, and never beyond a second. */
class DecisionCacheTest {
    static final Item PETER_HEART_RATE = new Item(40001L, "https://w3id.org/openmhealth", "omh:heart-rate:2.0", 70001L);
    static final Decision ALLOWED = new Decision(201, null, 50004L);

    static IngestConfig keepingFor(Duration ttl) {
        return new IngestConfig() {
            public Duration decisionTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration decisionCache() {
                return ttl;
            }

            public Duration memory() {
                return Duration.ofDays(8);
            }

            public int consumers() {
                return 1;
            }

            public String groupProtocol() {
                return "consumer";
            }
        };
    }

    @Test
    void aDecisionIsReusedForTheSameUserAndEntryOnly() {
        DecisionCache cache = new DecisionCache(keepingFor(Duration.ofSeconds(1)));

        cache.keep(10006, PETER_HEART_RATE, ALLOWED);

        assertThat(cache.find(10006, PETER_HEART_RATE)).isEqualTo(ALLOWED);
        assertThat(cache.find(10002, PETER_HEART_RATE)).as("another uploader").isNull();
        assertThat(cache.find(10006, new Item(40001L, "https://w3id.org/openmhealth", "omh:heart-rate:2.0", 70002L)))
                .as("another data source").isNull();
    }

    @Test
    void aDecisionExpiresAndIsNeverKeptLongerThanASecond() throws Exception {
        DecisionCache cache = new DecisionCache(keepingFor(Duration.ofMinutes(5)));
        cache.keep(10006, PETER_HEART_RATE, ALLOWED);

        Thread.sleep(1100);

        assertThat(cache.find(10006, PETER_HEART_RATE)).isNull();
    }

    @Test
    void aZeroTimeToLiveKeepsNothing() {
        DecisionCache cache = new DecisionCache(keepingFor(Duration.ZERO));

        cache.keep(10006, PETER_HEART_RATE, ALLOWED);

        assertThat(cache.find(10006, PETER_HEART_RATE)).isNull();
    }
}
