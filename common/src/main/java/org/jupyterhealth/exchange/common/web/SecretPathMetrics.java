package org.jupyterhealth.exchange.common.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * No metric of any service is labelled with a credential from a request path. Requests are labelled by their route
 * template ({@code /api/v1/invitation/{token}}), but a request that ends before a route takes it (a client that
 * resets the connection) keeps the path it came with: every {@code uri} label goes through {@link SecretPaths} on
 * its way into the registry.
 */
@Singleton
public class SecretPathMetrics implements MeterFilter {
    private static final String URI = "uri";

    @Override
    public Meter.Id map(Meter.Id id) {
        String uri = id.getTag(URI);
        String redacted = SecretPaths.redact(uri);
        if (redacted == null || redacted.equals(uri)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag tag : id.getTagsAsIterable()) {
            tags.add(URI.equals(tag.getKey()) ? Tag.of(URI, redacted) : tag);
        }
        return id.replaceTags(tags);
    }
}
