package org.jupyterhealth.exchange.admin.web.request;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jupyterhealth.exchange.admin.web.TextRules;

import com.fasterxml.jackson.annotation.JacksonAnnotation;

/**
 * The text rules of a string field of a request record ({@link TextRules}): a string field without this annotation
 * is one line of at most {@link TextRules#MAX_SHORT} characters. Applied while the body is read, so that a bad
 * string is refused with the field's name whatever else the body lacks.
 */
@JacksonAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.RECORD_COMPONENT })
public @interface Text {
    /** The longest value the field's column or the account it goes to keeps. */
    int max() default TextRules.MAX_SHORT;

    /** Whether line breaks and tabs are allowed (descriptions, free text). */
    boolean multiline() default false;
}
