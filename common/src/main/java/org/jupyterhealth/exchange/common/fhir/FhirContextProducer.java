package org.jupyterhealth.exchange.common.fhir;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;

/**
 * The one FHIR R5 context of a service that reads or writes FHIR resources. Building it takes seconds, so it is made
 * once and warmed at start-up; parsers made from it are cheap.
 *
 * <p>It is a bean only in the services that say {@code jhe.fhir-context=true} at build time (fhir-service and
 * ingest-service): common is a bean archive in every service, and the others do not have HAPI FHIR.
 */
@Singleton
@IfBuildProperty(name = FhirContextProducer.ENABLED, stringValue = "true")
public class FhirContextProducer {
    /** The build property by which a service takes the FHIR context as a bean. */
    public static final String ENABLED = "jhe.fhir-context";

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
