package org.jupyterhealth.exchange.console.web;

import java.io.IOException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Every failure becomes a page that says what happened in words and offers a way on, with the status a browser and
 * a test can read: a service's refusal (403, 404) is passed on as such, a service that cannot be reached is a 503.
 */
public class ErrorPages {
    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    @ServerExceptionMapper
    public Response badInput(Inputs.BadInput e) {
        return page(400, "That address is not right", e.getMessage());
    }

    @ServerExceptionMapper
    public Response api(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        return switch (status) {
            case 400 -> page(400, "The request was refused", "The service did not accept the request.");
            case 401 -> page(401, "Please sign in again", "Your session has ended.");
            case 403 -> page(403, "No access", "You do not have access to this page.");
            case 404, 405 -> page(404, "Not found", "There is nothing at this address, or you cannot see it.");
            default -> {
                LOG.warnf("a service answered %d", status);
                yield page(502, "Something went wrong", "A service could not answer. Please try again.");
            }
        };
    }

    @ServerExceptionMapper
    public Response unreachable(ProcessingException e) {
        return unavailable(e);
    }

    /** A connection refused or closed under the request (the REST client hands on the I/O failure itself). */
    @ServerExceptionMapper
    public Response unreachable(IOException e) {
        return unavailable(e);
    }

    private static Response unavailable(Exception e) {
        // the message names an address and a cause, never a token
        LOG.warnf("a service could not be reached: %s", e.getMessage());
        return page(503, "Service unavailable", "A service of the exchange cannot be reached right now. "
                + "Please try again in a moment.");
    }

    private static Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(status, title, message).render()).build();
    }
}
