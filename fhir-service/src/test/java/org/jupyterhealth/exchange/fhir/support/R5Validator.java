package org.jupyterhealth.exchange.fhir.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.hl7.fhir.r5.context.IWorkerContext.VersionResolutionRules;
import org.hl7.fhir.r5.context.SimpleWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.CanonicalResource;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.utils.validation.IValidatorResourceFetcher;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerFactory;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.utilities.validation.ValidationMessage.IssueSeverity;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * The FHIR instance validator of the HL7 core tooling, loaded with the R5 core package (every StructureDefinition,
 * ValueSet and CodeSystem of FHIR 5.0.0) from the classpath. It runs offline: there is no terminology server, so
 * codes are checked only against the value sets and code systems the core package carries (FHIR's own: status
 * codes, bundle types, issue types...); codes of external systems (LOINC, Open mHealth) cannot be checked and are
 * not errors. Structure, cardinality, data types, references and the core invariants are all checked.
 */
public final class R5Validator {
    private static final String CORE_PACKAGE = "/org/hl7/fhir/r5/packages/hl7.fhir.r5.core-5.0.0.tgz";
    private static InstanceValidator validator;

    private R5Validator() {
    }

    /** The error-level issues of a JSON resource, each as "location: message". */
    public static synchronized List<String> errors(String json) {
        List<ValidationMessage> messages = new ArrayList<>();
        validator().validate(null, messages, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                FhirFormat.JSON);
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : messages) {
            if (message.getLevel() == IssueSeverity.ERROR || message.getLevel() == IssueSeverity.FATAL) {
                errors.add(message.getLocation() + ": " + message.getMessage());
            }
        }
        return errors;
    }

    private static InstanceValidator validator() {
        if (validator == null) {
            try (InputStream core = R5Validator.class.getResourceAsStream(CORE_PACKAGE)) {
                SimpleWorkerContext context = new SimpleWorkerContext.SimpleWorkerContextBuilder()
                        .withAllowLoadingDuplicates(true).fromPackage(NpmPackage.fromPackage(core));
                context.setExpansionParameters(new Parameters());
                context.setCanRunWithoutTerminology(true);
                context.setNoTerminologyServer(true);
                validator = new InstanceValidator(context, null, XVerExtensionManagerFactory.createExtensionManager(
                        context), new ValidatorSession(), new ValidatorSettings());
                validator.setAnyExtensionsAllowed(true);
                validator.setFetcher(new NothingToFetch());
                validator.setPolicyAdvisor(new BasePolicyAdvisorForFullValidation(
                        ReferenceValidationPolicy.CHECK_TYPE_IF_EXISTS, Set.of()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return validator;
    }

    /**
     * References name the exchange's own resources, which the validator cannot fetch: they are checked for their
     * form and type only.
     */
    private static final class NothingToFetch implements IValidatorResourceFetcher {
        @Override
        public Element fetch(IResourceValidator validator, Object appContext, String url) {
            return null;
        }

        @Override
        public boolean resolveURL(IResourceValidator validator, Object appContext, String path, String url,
                VersionResolutionRules rules, String type, boolean canonical, List<CanonicalType> targets) {
            return true;
        }

        @Override
        public byte[] fetchRaw(IResourceValidator validator, String url) {
            return null;
        }

        @Override
        public IValidatorResourceFetcher setLocale(Locale locale) {
            return this;
        }

        @Override
        public CanonicalResource fetchCanonicalResource(IResourceValidator validator, Object appContext,
                String url) {
            return null;
        }

        @Override
        public boolean fetchesCanonicalResource(IResourceValidator validator, String url) {
            return false;
        }

        @Override
        public Set<ResourceVersionInformation> fetchCanonicalResourceVersions(IResourceValidator validator,
                Object appContext, String url) {
            return Set.of();
        }
    }
}
