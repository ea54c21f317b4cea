package org.jupyterhealth.exchange.admin.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks an operation only a superuser may call: {@link SuperuserOnlyFilter} refuses anyone else (403) before the
 * request body is read, so that a caller without the right learns nothing from how its body would be judged. The
 * service still checks the caller ({@link Permissions#requireSuperuser}).
 */
@NameBinding
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface SuperuserOnly {
}
