package org.jupyterhealth.exchange.admin.web.request;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Reads every request record ({@link AdminRequest}) of the admin API: the body as one JSON object checked as a whole
 * ({@link BodyTree}), bound to the record by the request-body Jackson configuration ({@link RequestJson}), then
 * checked with Bean Validation. A value a field does not take and a broken constraint are each a 400 in the admin
 * dialect, {@code {"detail": "<field>: <message>", "errors": {"<field>": ["<message>"]}}}, naming nested fields as
 * {@code identifiers[0].value}; a body that is not JSON stays the mapper's "JSON parse error".
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class RequestBodyReader implements MessageBodyReader<AdminRequest> {
    private static final ObjectMapper JSON = RequestJson.mapper();

    private final Validator validator;

    public RequestBodyReader(Validator validator) {
        this.validator = validator;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return AdminRequest.class.isAssignableFrom(type);
    }

    @Override
    public AdminRequest readFrom(Class<AdminRequest> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, String> httpHeaders, InputStream entityStream)
            throws IOException {
        return read(type, JSON.readTree(entityStream));
    }

    /** A request record from a body already parsed: checked, bound and validated as a body read from the wire. */
    public <T extends AdminRequest> T read(Class<T> type, JsonNode json) {
        T request;
        try {
            request = JSON.treeToValue(BodyTree.of(json), type);
        } catch (MismatchedInputException e) {
            throw refused(e);
        } catch (IOException e) {
            // a tree already parsed fails to bind only as a mismatch; anything else is a defect of the record
            throw new IllegalStateException(e);
        }
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw refused(type, violations);
        }
        return request;
    }

    private static ValidationException refused(MismatchedInputException e) {
        String path = path(e.getPath());
        String message;
        if (e instanceof InvalidField) {
            message = e.getOriginalMessage();
        } else if (e.getTargetType() != null && (Iterable.class.isAssignableFrom(e.getTargetType())
                || e.getTargetType().isArray())) {
            message = "Expected a list.";
        } else {
            message = "Expected an object.";
        }
        String field = path.isEmpty() ? "body" : path;
        return new ValidationException(field + ": " + message, Map.of(field, List.of(message)));
    }

    /** {@code identifiers[0].value}: the field a Jackson failure happened in. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /**
     * One message per field, {@link Required}'s before any other, in the order of the record's fields, so that the
     * answer does not depend on the order the validator found them in; the {@code detail} names every field when
     * they share one message ({@code "name, type: This field is required."}), the first one otherwise.
     */
    private static <T> ValidationException refused(Class<T> type, Set<ConstraintViolation<T>> violations) {
        List<String> order = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                order.add(component.getName());
            }
        }
        List<ConstraintViolation<T>> sorted = new ArrayList<>(violations);
        sorted.sort(Comparator.<ConstraintViolation<T>>comparingInt(v -> rank(order, v))
                .thenComparing(v -> v.getPropertyPath().toString())
                .thenComparing(v -> isRequired(v) ? 0 : 1)
                .thenComparing(ConstraintViolation::getMessage));
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConstraintViolation<T> violation : sorted) {
            String field = violation.getPropertyPath().toString();
            errors.putIfAbsent(field.isEmpty() ? "body" : field, List.of(message(violation)));
        }
        long messages = errors.values().stream().distinct().count();
        String detail = messages == 1 ? String.join(", ", errors.keySet()) + ": " + errors.values().iterator().next()
                .get(0) : errors.keySet().iterator().next() + ": " + errors.values().iterator().next().get(0);
        return new ValidationException(detail, errors);
    }

    /** The violation's message with the refused value quoted where it says so ({@link OneOf#VALUE}). */
    private static String message(ConstraintViolation<?> violation) {
        String message = violation.getMessage();
        return message.contains(OneOf.VALUE)
                ? message.replace(OneOf.VALUE, String.valueOf(violation.getInvalidValue())) : message;
    }

    private static int rank(List<String> order, ConstraintViolation<?> violation) {
        var nodes = violation.getPropertyPath().iterator();
        int index = nodes.hasNext() ? order.indexOf(nodes.next().getName()) : -1;
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    private static boolean isRequired(ConstraintViolation<?> violation) {
        return violation.getConstraintDescriptor().getAnnotation() instanceof Required;
    }
}
