package org.jupyterhealth.exchange.admin.web.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A value of a request body that its field does not take, with the message the client reads; Jackson adds the path
 * of the field, and {@link RequestBodyReader} answers it as a 400 naming that field.
 */
final class InvalidField extends MismatchedInputException {
    private static final long serialVersionUID = 1L;

    InvalidField(JsonParser parser, String message) {
        super(parser, message);
    }
}
