package org.jupyterhealth.exchange.common.mail;

import java.util.Map;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;

/**
 * Renders an e-mail from a service's Qute templates {@code templates/mail/NAME-subject.txt}, {@code NAME.txt} and
 * {@code NAME.html} (values escaped as HTML in the last one only). Rendering is CPU work on strings, short enough for
 * the calling thread. Each service that sends e-mail produces one over its Qute engine.
 */
public final class MailTemplates {
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
