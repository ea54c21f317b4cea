package org.jupyterhealth.exchange.identity.audit;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jupyterhealth.exchange.common.audit.AuditEmitter;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.Record;

/** identity-service's {@link AuditEmitter}: its channel {@code audit-events} and the settings {@code jhe.audit.*}. */
@Singleton
public class AuditProducer extends AuditEmitter {

    public AuditProducer(
            @Channel("audit-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
            MutinyEmitter<Record<String, String>> emitter, KafkaClientService kafka,
            @ConfigProperty(name = "mp.messaging.outgoing.audit-events.topic", defaultValue = "audit-events")
            String topic,
            @ConfigProperty(name = "jhe.audit.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "jhe.audit.fail-closed", defaultValue = "true") boolean failClosed,
            @ConfigProperty(name = "jhe.audit.ack-timeout", defaultValue = "3s") Duration ackTimeout) {
        super(emitter, kafka, "audit-events", topic, enabled, failClosed, ackTimeout);
    }
}
