package org.jupyterhealth.exchange.common.testing;

import java.lang.reflect.Method;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the internal contract ({@code docs/internal-api.yaml}) part of every test of a service module: JUnit finds
 * this extension by auto-detection, which Quarkus's test framework turns on (a module must not ship a
 * {@code junit-platform.properties} of its own: it would hide Quarkus's, and with it the class order Quarkus needs).
 * Before each test, every {@code /internal/**} answer rest-assured obtains is checked
 * ({@link ContractCheck#checkInternalAnswers}); after it, a mismatch a stand-in reported while the test ran fails the
 * test. A module without the JSON Schema validator on its test class path (the gateway, which has no internal API)
 * is left alone.
 * <p>
 * A {@code @QuarkusTest} class, its rest-assured and its test resources are loaded by Quarkus's class loader, not
 * by the one that loaded this extension: {@link ContractCheck} is called as that loader knows it, so that the
 * filter and the stand-ins' reports are the test's own.
 */
public class ContractViolations implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) throws ReflectiveOperationException {
        if (checked(context)) {
            call(context, "checkInternalAnswers");
            call(context, "takeViolations");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws ReflectiveOperationException {
        if (!checked(context)) {
            return;
        }
        List<?> violations = (List<?>) call(context, "takeViolations");
        if (!violations.isEmpty()) {
            throw new AssertionError("A stand-in broke " + ContractCheck.DOCUMENT + ":\n  "
                    + String.join("\n  ", violations.stream().map(String::valueOf).toList()));
        }
    }

    /** Whether the test's module can check the contract: {@link ContractCheck} and the validator it uses load. */
    private static boolean checked(ExtensionContext context) {
        try {
            Class.forName(ContractCheck.class.getName(), true, context.getRequiredTestClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Object call(ExtensionContext context, String name) throws ReflectiveOperationException {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        Method method = Class.forName(ContractCheck.class.getName(), true, loader).getDeclaredMethod(name);
        method.setAccessible(true);
        return method.invoke(null);
    }
}
