package org.jupyterhealth.exchange.console.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;

/**
 * A page rendered again with the status of what went wrong with its form: a 400 (or the API's 409) with the form as
 * sent and its errors next to their fields, as every form of the console answers a refusal.
 */
final class FormPages {
    private FormPages() {
    }

    static Response withStatus(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render())
                .build();
    }
}
