package org.custody.web;

import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;

/**
 * Deny by default: a resource method that declares no access rule, neither {@code @RolesAllowed} (on the method
 * or its class) nor {@link Public}, answers 403 to everyone, so a forgotten annotation fails closed.
 */
public final class DenyByDefaultFeature implements DynamicFeature {
    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (!hasAccessRule(resourceInfo.getResourceClass(), resourceInfo.getResourceMethod())) {
            context.register(new DenyAll());
        }
    }

    public static boolean hasAccessRule(Class<?> resourceClass, Method method) {
        return method.isAnnotationPresent(Public.class)
                || method.isAnnotationPresent(RolesAllowed.class)
                || resourceClass.isAnnotationPresent(RolesAllowed.class);
    }

    @Priority(Priorities.AUTHENTICATION - 10)
    private static final class DenyAll implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            request.abortWith(Problem.of("forbidden", "Forbidden", 403, "This resource declares no access rule and is closed").response().build());
        }
    }
}
