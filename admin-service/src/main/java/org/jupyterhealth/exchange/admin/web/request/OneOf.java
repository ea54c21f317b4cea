package org.jupyterhealth.exchange.admin.web.request;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * One value of an enumeration, exactly as written; absent and {@code null} pass, anything else (an empty string
 * included: it is never read as the default) is {@code "<value>" is not a valid choice.}.
 */
@Constraint(validatedBy = OneOf.Validator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.ANNOTATION_TYPE })
public @interface OneOf {
    /**
     * Stands for the refused value in a message; {@link RequestBodyReader} puts the value in after interpolation, so
     * that nothing a client sends is ever read as a message expression.
     */
    String VALUE = "%value%";

    String[] value();

    String message() default "\"" + VALUE + "\" is not a valid choice.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<OneOf, String> {
        private List<String> choices;

        @Override
        public void initialize(OneOf annotation) {
            choices = List.of(annotation.value());
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || choices.contains(value);
        }
    }
}
