package org.jupyterhealth.exchange.fhir.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

/**
 * Writes every FHIR resource the service answers (Bundles, resources, OperationOutcomes, the CapabilityStatement)
 * with the one shared HAPI FHIR R5 context, as {@code application/fhir+json} or {@code application/json};
 * searchsets with the {@code entry} and {@code meta} HAPI FHIR leaves out when empty.
 */
@Provider
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class FhirResourceWriter implements MessageBodyWriter<IBaseResource> {
    private final FhirContext fhir;

    public FhirResourceWriter(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return IBaseResource.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(IBaseResource resource, Class<?> type, Type genericType, Annotation[] annotations,
            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
            throws IOException {
        IParser parser = fhir.newJsonParser();
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        if (resource instanceof Bundle bundle && bundle.getType() == BundleType.SEARCHSET) {
            writer.write(SearchBundles.completeJson(bundle, parser.encodeResourceToString(bundle)));
        } else {
            parser.encodeResourceToWriter(resource, writer);
        }
        writer.flush();
    }
}
