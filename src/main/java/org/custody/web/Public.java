package org.custody.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that anyone may call without signing in (sign-in, the OpenAPI description, later the
 * log's public checkpoint and proofs). Not {@code @PermitAll}: in Dropwizard that means "any signed-in user".
 * A method with neither this nor {@code @RolesAllowed} is refused to everybody ({@link DenyByDefaultFeature}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Public {}
