package org.jupyterhealth.exchange.systemtests;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The messages the stack's mail server received, read back from its HTTP API as {@code ./jhe mail ADDRESS} reads
 * them: the services sent them over SMTP, as they would to a clinic's mail server.
 */
final class StackMail {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One message: its subject and decoded text part. */
    record Mail(String subject, String text) {
    }

    private StackMail() {
    }

    /** The address's messages once there are {@code count}, the oldest first. */
    static List<Mail> awaitMessages(String address, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> messagesTo(address).size() >= count);
        return messagesTo(address);
    }

    static List<Mail> messagesTo(String address) {
        URI uri = URI.create("http://127.0.0.1:" + SystemStack.PORTS.mailApiPort() + "/api/user/"
                + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/INBOX");
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            List<Mail> messages = new ArrayList<>();
            if (answer.statusCode() != 200) {
                // nothing came for the address yet: the server has no mailbox of it
                return messages;
            }
            for (JsonNode message : JSON.readTree(answer.body())) {
                messages.add(parse(message.path("mimeMessage").asText()));
            }
            return messages;
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("could not read the stack's mail server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Mail parse(String mime) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mime.getBytes(StandardCharsets.UTF_8)));
        String text = null;
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    text = part.getContent().toString().replace("\r\n", "\n");
                }
            }
        } else {
            text = message.getContent().toString();
        }
        return new Mail(message.getSubject(), text);
    }
}
