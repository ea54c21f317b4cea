package org.jupyterhealth.exchange.fhir.config;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.StartupEvent;

/**
 * The one FHIR R5 context of the service. Building it takes seconds, so it is made once and warmed at start-up;
 * parsers made from it are cheap.
 */
@Singleton
public class FhirContextProducer {
    private final FhirContext context = FhirContext.forR5Cached();

    @Produces
    @Singleton
    FhirContext fhirContext() {
        return context;
    }

    void warm(@Observes StartupEvent event) {
        context.newJsonParser().parseResource("{\"resourceType\":\"Observation\",\"status\":\"final\"}");
    }
}
