package org.jupyterhealth.exchange.admin.web.request;

import java.io.IOException;
import java.math.BigInteger;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.admin.web.JsonParsing;
import org.jupyterhealth.exchange.admin.web.TextRules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ReferenceType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration of admin request bodies: the parser limits of every admin body ({@link JsonParsing}:
 * one JSON value, no key twice, bounded nesting), unknown fields ignored (clients send the fields of the original's
 * other versions), and strict types, so that no value is silently converted into another: a string field takes only
 * a JSON string, under the field's text rules ({@link Text}); a boolean field only {@code true} or {@code false}; a
 * whole-number field is an id, a JSON integer or a string of digits ({@code "40001"}, as the original accepted ids
 * from form-based clients), never a fraction, a negative or an overlong number. {@code Optional} fields tell an
 * absent field (null) from an explicit {@code null} ({@code Optional.empty()}), for {@code PATCH}.
 */
public final class RequestJson {
    private static final Pattern PLAIN_ID = Pattern.compile("0|[1-9][0-9]{0,17}");

    private RequestJson() {
    }

    public static ObjectMapper mapper() {
        ObjectMapper mapper = JsonParsing.apply(new ObjectMapper());
        // also where a body is bound without its tree (JsonParsing refuses a key twice in a tree)
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.registerModule(new Jdk8Module());
        mapper.registerModule(new JavaTimeModule());
        // the types without a deserializer of ours convert nothing either
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        SimpleModule strict = new SimpleModule("admin-request-bodies");
        strict.addDeserializer(String.class, new TextDeserializer(TextRules.MAX_SHORT, false));
        strict.addDeserializer(Long.class, new IdDeserializer());
        strict.addDeserializer(Long.TYPE, new IdDeserializer());
        strict.addDeserializer(Boolean.class, new BooleanDeserializer());
        strict.addDeserializer(Boolean.TYPE, new BooleanDeserializer());
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyReferenceDeserializer(DeserializationConfig config, ReferenceType type,
                    BeanDescription description, JsonDeserializer<?> deserializer) {
                return new AbsentAsNull(deserializer);
            }
        });
        mapper.registerModule(strict);
        return mapper;
    }

    /**
     * An {@code Optional} field left out of the body is null, not {@code Optional.empty()} (which stands for an
     * explicit {@code null}): a {@code PATCH} changes only what it names.
     */
    static final class AbsentAsNull extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        AbsentAsNull(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new AbsentAsNull(delegate);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** A JSON string, judged by {@link TextRules} with the limits of the field's {@link Text} annotation. */
    static final class TextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {
        private static final long serialVersionUID = 1L;
        private final int max;
        private final boolean multiline;

        TextDeserializer(int max, boolean multiline) {
            super(String.class);
            this.max = max;
            this.multiline = multiline;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            Text text = property == null ? null : property.getAnnotation(Text.class);
            return text == null ? this : new TextDeserializer(text.max(), text.multiline());
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new InvalidField(p, "Not a valid string.");
            }
            String value = p.getText();
            String problem = TextRules.problem(value, multiline);
            if (problem != null) {
                throw new InvalidField(p, problem);
            }
            if (value.length() > max) {
                throw new InvalidField(p, "Ensure this field has no more than " + max + " characters.");
            }
            return value;
        }
    }

    /** An id: a non-negative JSON integer or a string of digits; an empty string is no id (null). */
    static final class IdDeserializer extends StdScalarDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        IdDeserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long value = p.getLongValue();
                if (value >= 0) {
                    return value;
                }
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                BigInteger value = p.getBigIntegerValue();
                if (value.signum() >= 0 && value.bitLength() < Long.SIZE) {
                    return value.longValue();
                }
            } else if (token == JsonToken.VALUE_STRING) {
                String text = p.getText();
                if (text.isBlank()) {
                    return null;
                }
                text = text.trim();
                if (PLAIN_ID.matcher(text).matches()) {
                    return Long.parseLong(text);
                }
            }
            throw new InvalidField(p, "A valid integer is required.");
        }
    }

    /** A JSON boolean: neither {@code "true"} nor {@code 1}. */
    static final class BooleanDeserializer extends StdScalarDeserializer<Boolean> {
        private static final long serialVersionUID = 1L;

        BooleanDeserializer() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                return token == JsonToken.VALUE_TRUE;
            }
            throw new InvalidField(p, "Must be a valid boolean.");
        }
    }
}
