package org.jupyterhealth.exchange.admin.web.request;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.jupyterhealth.exchange.admin.web.TextRules;

/**
 * An e-mail address as the original judged one ({@link TextRules#isEmail}), surrounding blanks aside; absent and
 * {@code null} pass, an empty or blank string does not.
 */
@Constraint(validatedBy = EmailAddress.Validator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.ANNOTATION_TYPE })
public @interface EmailAddress {
    String message() default "Enter a valid email address.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<EmailAddress, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || TextRules.isEmail(value.trim());
        }
    }
}
