package org.jupyterhealth.exchange.common.testing;

import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the internal contract ({@code docs/internal-api.yaml}) part of every test of a module that enables JUnit's
 * extension auto-detection (its {@code junit-platform.properties}): before each test, every {@code /internal/**}
 * answer rest-assured obtains is checked ({@link ContractCheck#checkInternalAnswers}); after it, a mismatch a
 * stand-in reported while the test ran fails the test.
 */
public class ContractViolations implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        ContractCheck.checkInternalAnswers();
        ContractCheck.takeViolations();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> violations = ContractCheck.takeViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError("A stand-in broke " + ContractCheck.DOCUMENT + ":\n  "
                    + String.join("\n  ", violations));
        }
    }
}
