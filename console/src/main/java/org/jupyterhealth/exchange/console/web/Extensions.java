package org.jupyterhealth.exchange.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.quarkus.qute.TemplateExtension;

/** What the templates may call on a value besides its own methods. */
@TemplateExtension
final class Extensions {
    private Extensions() {
    }

    /** A value to put into an address's query (the template then escapes it for HTML). */
    static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
