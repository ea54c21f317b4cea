package org.jupyterhealth.exchange.ingest.upload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jupyterhealth.exchange.common.kafka.Topic;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The upload topics as fhir-service sees them, on the real test broker: produce an upload envelope (or any
 * record), and read the results and dead letters produced from now on.
 */
public final class UploadTopics implements AutoCloseable {
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<ConsumerRecord<String, String>>> results = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, String>> deadLetters = new CopyOnWriteArrayList<>();

    public UploadTopics() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        // uploads are as large as fhir-service lets them be (the topic takes them)
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topic.UPLOAD_RECORD_BYTES);
        producer = new KafkaProducer<>(producerConfig);
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(consumerConfig);
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : List.of(Topic.OBSERVATION_UPLOAD_RESULTS, Topic.OBSERVATION_UPLOADS_DLQ)) {
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.topicName(), p));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    public void send(UploadEnvelope upload) {
        try {
            send(keyOf(upload), Fixtures.JSON.writeValueAsString(upload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(String key, String value) {
        sendTo(Topic.OBSERVATION_UPLOADS.topicName(), key, value);
    }

    public void sendTo(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result produced for the upload, waiting up to 30 s. */
    public UploadResult awaitResult(UUID uploadId) {
        return read(awaitRecord(uploadId));
    }

    /** The latest result record of the upload, waiting up to 30 s for one. */
    public ConsumerRecord<String, String> awaitRecord(UUID uploadId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, String>> records = results.get(uploadId.toString());
            if (records != null) {
                return records.get(records.size() - 1);
            }
            poll();
        }
        throw new AssertionError("no result for upload " + uploadId + " within 30 s");
    }

    /** Every result record of the upload seen so far (more than one when it was delivered more than once). */
    public List<ConsumerRecord<String, String>> resultRecords(UUID uploadId) {
        poll();
        return List.copyOf(results.getOrDefault(uploadId.toString(), List.of()));
    }

    public List<ConsumerRecord<String, String>> deadLetters() {
        poll();
        return List.copyOf(deadLetters);
    }

    private synchronized void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(Topic.OBSERVATION_UPLOADS_DLQ.topicName())) {
                deadLetters.add(record);
            } else {
                // what ingest-service produced, against the contract fhir-service reads outcomes by
                ContractCheck.messageProblems("UploadResult", record.value()).forEach(ContractCheck::violation);
                results.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                        .add(record);
            }
        }
    }

    public static UploadResult read(ConsumerRecord<String, String> record) {
        try {
            return Fixtures.JSON.readValue(record.value(), UploadResult.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyOf(UploadEnvelope upload) {
        String reference = upload.entries().isEmpty() || upload.entries().get(0).resource() == null ? ""
                : upload.entries().get(0).resource().path("subject").path("reference").asText("");
        return reference.startsWith("Patient/") ? reference.substring(8) : Long.toString(upload.uploaderUserId());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
