package org.jupyterhealth.exchange.admin.web.request;

/**
 * A request body of the admin API: a record that {@link RequestBodyReader} reads with the request-body Jackson
 * configuration ({@link RequestJson}) and checks with Bean Validation before the resource method runs, so that every
 * refusal of bad input is a 400 naming the field, before anything is looked up or written.
 */
public interface AdminRequest {
}
