package org.jupyterhealth.exchange.identity.web;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The one place where JSON request bodies are read (the {@code /internal} endpoints): a body is exactly one JSON
 * value, every value has the type its field declares (no number read as a string or the other way round), and
 * every string is at most {@value #MAX_STRING} characters without control characters (PostgreSQL refuses a NUL in
 * text; none of our fields has a use for the others). What breaks a rule is a {@code 400} naming the field
 * ({@link IdentityExceptionMapper}), never a server error.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    /** Longer than any field of ours may be (URLs are the longest, at most 2000): a bound on what is held. */
    public static final int MAX_STRING = 2000;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("identity-strict-strings")
                .addDeserializer(String.class, new CheckedStringDeserializer()));
    }

    /** A string that breaks one of the rules; its message is safe to show (it never repeats the value). */
    public static final class InvalidStringException extends MismatchedInputException {
        InvalidStringException(JsonParser parser, String message) {
            super(parser, message, String.class);
        }
    }

    /** Jackson's own string reading (with the coercion rules above), then the checks of this class. */
    static final class CheckedStringDeserializer extends StdScalarDeserializer<String> {
        CheckedStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value == null) {
                return null;
            }
            if (value.length() > MAX_STRING) {
                throw new InvalidStringException(parser,
                        "Ensure this field has no more than " + MAX_STRING + " characters.");
            }
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    throw new InvalidStringException(parser, "Must not contain control characters.");
                }
            }
            return value;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }
}
