package org.jupyterhealth.exchange.common.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The test mail server (GreenMail, started by {@code ./jhe test}, SMTP on {@code JHE_TEST_SMTP_PORT}): the messages
 * of one address read back from its API ({@code JHE_TEST_MAIL_API_PORT}), as a person's mail program shows them.
 */
public final class TestMailServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestMailServer() {
    }

    /** One received message: its recipients, subject and decoded text and HTML parts. */
    public record Received(List<String> to, String subject, String text, String html) {
    }

    public static List<Received> messagesTo(String address) {
        return messagesTo(Integer.parseInt(System.getenv().getOrDefault("JHE_TEST_MAIL_API_PORT", "19098")), address);
    }

    /** The messages of one address on the mail server whose API listens on this port, the oldest first. */
    public static List<Received> messagesTo(int port, String address) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/user/"
                + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/INBOX");
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            List<Received> messages = new ArrayList<>();
            if (answer.statusCode() != 200) {
                // no message has come for the address yet: the server has no mailbox of it
                return messages;
            }
            for (JsonNode message : JSON.readTree(answer.body())) {
                messages.add(parse(message.path("mimeMessage").asText()));
            }
            return messages;
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("could not read the test mail server's messages", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Received parse(String mime) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mime.getBytes(StandardCharsets.UTF_8)));
        List<String> to = new ArrayList<>();
        for (var address : message.getAllRecipients()) {
            to.add(((InternetAddress) address).getAddress());
        }
        String text = null;
        String html = null;
        if (message.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                // SMTP carries lines ended by CRLF; a mail program shows them as lines
                if (part.isMimeType("text/plain")) {
                    text = part.getContent().toString().replace("\r\n", "\n");
                } else if (part.isMimeType("text/html")) {
                    html = part.getContent().toString().replace("\r\n", "\n");
                }
            }
        } else {
            text = message.getContent().toString();
        }
        return new Received(to, message.getSubject(), text, html);
    }
}
