package org.jupyterhealth.exchange.admin.web;

import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.admin.web.request.RequestBodyReader;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * How admin-service reads JSON: a body is exactly one JSON value ({@code {"name":"x"} junk} and {@code {} {}} are
 * 400s, not the first value with the rest ignored), with no key twice in one object (a 400, not the last value
 * kept and the others ignored), nested at most {@value #MAX_DEPTH} levels deep (no request has more than four;
 * deeper ones only cost stack and time), with no string longer than the body limit could carry usefully.
 * Field-level rules are applied where a body is bound to its request record ({@link RequestBodyReader}).
 */
@Singleton
public class JsonParsing implements ObjectMapperCustomizer {
    static final int MAX_DEPTH = 32;
    static final int MAX_STRING = 1_000_000;

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** These rules on a mapper (also one that reads JSON found inside a body, such as a setting's value). */
    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING)
                .build());
        return mapper;
    }
}
