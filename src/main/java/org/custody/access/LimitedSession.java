package org.custody.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the few endpoints a limited session may use (see {@link SessionScope}): signing out, reading one's own
 * account, changing one's password and enrolling a second factor. Every other endpoint needs a full session.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LimitedSession {}
