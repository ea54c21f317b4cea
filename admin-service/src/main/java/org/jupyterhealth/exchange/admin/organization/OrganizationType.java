package org.jupyterhealth.exchange.admin.organization;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.jupyterhealth.exchange.admin.web.request.OneOf;

/**
 * An organization type a client may give ({@link OrganizationTypes}, ROOT's own type aside): absent and {@code null}
 * pass, a blank one is "This field is required.", another is {@code "<type>" is not a valid choice.}.
 */
@Constraint(validatedBy = OrganizationType.Validator.class)
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.ANNOTATION_TYPE })
public @interface OrganizationType {
    String message() default "\"" + OneOf.VALUE + "\" is not a valid choice.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<OrganizationType, String> {
        @Override
        public boolean isValid(String type, ConstraintValidatorContext context) {
            if (type == null || (OrganizationTypes.ALL.containsKey(type) && !"root".equals(type))) {
                return true;
            }
            if (type.isBlank()) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("This field is required.").addConstraintViolation();
            }
            return false;
        }
    }
}
