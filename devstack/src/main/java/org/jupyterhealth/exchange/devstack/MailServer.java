package org.jupyterhealth.exchange.devstack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A stack's mail server: GreenMail standalone (its executable jar, copied by devstack's build to
 * {@code target/mail/}), which accepts every message on {@link Stack#smtpPort()} without authentication, keeps it in
 * memory in the recipient's mailbox, and hands the mailboxes out on its HTTP API ({@link Stack#mailApiPort()}), both
 * on 127.0.0.1 only. {@code ./jhe mail} reads them back from there.
 */
final class MailServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private MailServer() {
    }

    /** The JVM options and arguments that run GreenMail for the stack from {@code jar}. */
    static List<String> command(Stack stack, Path jar) {
        return List.of("-Xmx128m", "-Dgreenmail.smtp.hostname=127.0.0.1",
                "-Dgreenmail.smtp.port=" + stack.smtpPort(), "-Dgreenmail.api.hostname=127.0.0.1",
                "-Dgreenmail.api.port=" + stack.mailApiPort(), "-Dgreenmail.auth.disabled", "-jar", jar.toString());
    }

    /** One message as a person reads it. */
    record Mail(String subject, String to, Date sent, String text) {
        String show() {
            return "Subject: " + subject + "\nTo:      " + to + "\nDate:    " + (sent != null ? sent : "-") + "\n\n"
                    + text.strip() + "\n";
        }
    }

    /** The messages of one address, or of every mailbox when {@code address} is null, the newest last. */
    static List<Mail> read(Stack stack, String address) throws IOException, InterruptedException {
        String api = "http://127.0.0.1:" + stack.mailApiPort() + "/api/user";
        List<String> addresses = new ArrayList<>();
        if (address != null) {
            addresses.add(address);
        } else {
            for (JsonNode user : get(api)) {
                addresses.add(user.path("email").asText());
            }
        }
        List<Mail> mails = new ArrayList<>();
        for (String to : addresses) {
            for (JsonNode message : get(api + "/" + URLEncoder.encode(to, StandardCharsets.UTF_8)
                    + "/messages/INBOX")) {
                mails.add(parse(message.path("mimeMessage").asText()));
            }
        }
        mails.sort(Comparator.comparing(Mail::sent, Comparator.nullsFirst(Comparator.naturalOrder())));
        return mails;
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            // an address that never received a message has no mailbox yet
            return JSON.createArrayNode();
        }
        return JSON.readTree(response.body());
    }

    /** A MIME message: its subject, recipients, date and its text part (the HTML one when it has none). */
    static Mail parse(String mime) throws IOException {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(mime.getBytes(StandardCharsets.UTF_8)));
            List<String> to = new ArrayList<>();
            if (message.getRecipients(RecipientType.TO) != null) {
                for (var recipient : message.getRecipients(RecipientType.TO)) {
                    to.add(recipient instanceof InternetAddress a ? a.getAddress() : recipient.toString());
                }
            }
            String text = text(message, "text/plain");
            return new Mail(message.getSubject(), String.join(", ", to), message.getSentDate(),
                    text != null ? text : String.valueOf(text(message, "text/html")));
        } catch (MessagingException e) {
            throw new IOException("unreadable message: " + e.getMessage(), e);
        }
    }

    private static String text(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return part.getContent().toString();
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = text(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
