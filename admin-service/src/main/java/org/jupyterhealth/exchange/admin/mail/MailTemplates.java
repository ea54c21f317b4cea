package org.jupyterhealth.exchange.admin.mail;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;

/**
 * Renders an e-mail from its Qute templates {@code templates/mail/NAME-subject.txt}, {@code NAME.txt} and
 * {@code NAME.html} (values escaped as HTML in the last one only). Rendering is CPU work on strings, short enough for
 * the calling thread.
 */
@ApplicationScoped
public class MailTemplates {
    private final Engine engine;

    public MailTemplates(Engine engine) {
        this.engine = engine;
    }

    public OutgoingMail render(String name, String recipient, Map<String, Object> data) {
        return OutgoingMail.of(recipient, template(name + "-subject.txt", data).strip(), template(name + ".txt", data),
                template(name + ".html", data));
    }

    private String template(String path, Map<String, Object> data) {
        Template template = engine.getTemplate("mail/" + path);
        if (template == null) {
            throw new IllegalStateException("no mail template " + path);
        }
        return template.data(data).render();
    }
}
