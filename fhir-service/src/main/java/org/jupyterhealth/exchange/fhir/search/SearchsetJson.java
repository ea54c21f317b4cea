package org.jupyterhealth.exchange.fhir.search;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToLongFunction;

import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * A searchset Bundle written straight to JSON, in the element order HAPI FHIR writes (resourceType, meta, type,
 * total, link, entry with fullUrl, resource and search.mode), for result pages too large to build as a HAPI model
 * quickly; like every searchset ({@link SearchBundles}), with {@code meta} and {@code entry} (empty when nothing
 * matched). Links are made exactly as {@link SearchBundles} makes them. The JSON is written into the buffer the
 * response is sent from (no copies of a page on its way out).
 */
public final class SearchsetJson {
    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one resource of an entry. */
    @FunctionalInterface
    public interface EntryWriter<T> {
        void write(JsonGenerator json, T item) throws IOException;
    }

    private SearchsetJson() {
    }

    public static <T> Buffer write(FhirRequest request, SearchRequest search, boolean get, String type, List<T> items,
            ToLongFunction<T> id, EntryWriter<T> entry, Long total, PageCursor next,
            PageCursor previous) {
        ByteBuf out = Unpooled.buffer(1024 + items.size() * 1300);
        OutputStream stream = new ByteBufOutputStream(out);
        try (JsonGenerator json = JSON.createGenerator(stream)) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            SearchBundles.writeMeta(json);
            json.writeStringField("type", "searchset");
            if (total != null) {
                json.writeNumberField("total", Math.min(total, Integer.MAX_VALUE));
            }
            json.writeArrayFieldStart("link");
            link(json, "self", get ? request.requestUri().toString() : SearchBundles.link(request, search, null, null));
            if (next != null) {
                link(json, "next", SearchBundles.link(request, search, "_cursor", next.encode()));
            }
            if (previous != null) {
                link(json, "previous", SearchBundles.link(request, search, "_cursor", previous.encode()));
            }
            json.writeEndArray();
            String base = request.baseUrl() + "/" + type + "/";
            json.writeArrayFieldStart("entry");
            for (T item : items) {
                json.writeStartObject();
                json.writeStringField("fullUrl", base + id.applyAsLong(item));
                json.writeFieldName("resource");
                entry.write(json, item);
                json.writeObjectFieldStart("search");
                json.writeStringField("mode", "match");
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out);
    }

    private static void link(JsonGenerator json, String relation, String url) throws IOException {
        json.writeStartObject();
        json.writeStringField("relation", relation);
        json.writeStringField("url", url);
        json.writeEndObject();
    }
}
