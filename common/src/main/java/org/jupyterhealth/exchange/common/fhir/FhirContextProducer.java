package org.jupyterhealth.exchange.common.fhir;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.StartupEvent;

/**
 * The one FHIR R5 context of a service that reads or writes FHIR resources. Building it (HAPI FHIR reads the R5
 * model's classes on first use) takes seconds, so it is made once, and warmed right after start on a thread of its
 * own: the service reports ready without waiting for it (readiness in about a second instead of five to nine), and
 * the first request, which comes a second or more later, finds it warm or nearly so. A request that comes sooner
 * uses the same context (HAPI FHIR's context is thread-safe) and waits only for the part of the model it reads.
 *
 * <p>The context defers the model's children ({@link PerformanceOptionsEnum#DEFERRED_MODEL_SCANNING}): reading one
 * resource type makes HAPI FHIR scan every type that a reference of it may point to, and theirs in turn, which is
 * most of the R5 model. Without the option each of those types gets the definitions of its children and their name
 * maps built at once, and kept; with it only the types that a parse or an encode walks through do, on first use
 * (HAPI FHIR builds them under the context's lock, so concurrent first uses are safe).
 *
 * <p>It is a bean only in the services that say {@code jhe.fhir-context=true} at build time (fhir-service and
 * ingest-service): common is a bean archive in every service, and the others do not have HAPI FHIR.
 */
@Singleton
@IfBuildProperty(name = FhirContextProducer.ENABLED, stringValue = "true")
public class FhirContextProducer {
    /** The build property by which a service takes the FHIR context as a bean. */
    public static final String ENABLED = "jhe.fhir-context";
    private static final Logger LOG = Logger.getLogger(FhirContextProducer.class);

    static {
        // before the first type is read: the bean is made at start (the warm-up observes StartupEvent, and the
        // services' checkers inject the context), ahead of every request and record
        FhirContext.forR5Cached().setPerformanceOptions(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING);
    }

    @Produces
    @Singleton
    FhirContext fhirContext() {
        // the same context as every other reader of FhirContext.forR5Cached() in the service
        return FhirContext.forR5Cached();
    }

    void warm(@Observes StartupEvent event) {
        Thread warmUp = new Thread(FhirContextProducer::warm, "fhir-context-warm-up");
        // a service stopping during the warm-up does not wait for it
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * Reads and writes the resources the services handle most (an upload's Bundle and Observation), which makes HAPI
     * FHIR read their part of the model. Not every type: the rest of the model is read when a request needs it, and
     * a service that never sees a Medication does not keep its definition in memory.
     */
    static void warm() {
        long started = System.nanoTime();
        try {
            FhirContext context = FhirContext.forR5Cached();
            var parser = context.newJsonParser();
            var observation = parser.parseResource("{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                    + "\"subject\":{\"reference\":\"Patient/1\"},\"effectiveDateTime\":\"2024-01-01T00:00:00Z\","
                    + "\"valueQuantity\":{\"value\":60,\"unit\":\"/min\"}}");
            parser.encodeResourceToString(observation);
            parser.parseResource("{\"resourceType\":\"Bundle\",\"type\":\"batch\"}");
            LOG.debugf("FHIR R5 context warmed in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            // a warm-up only: the first request that needs the model reads it then
            LOG.warnf("FHIR R5 context warm-up failed: %s", e.toString());
        }
    }
}
