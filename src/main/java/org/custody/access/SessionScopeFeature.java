package org.custody.access;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/** Keeps limited sessions to the endpoints marked {@link LimitedSession}; runs after authentication. */
public final class SessionScopeFeature implements DynamicFeature {
    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (!resourceInfo.getResourceMethod().isAnnotationPresent(LimitedSession.class)) {
            context.register(new FullSessionOnly());
        }
    }

    @Priority(Priorities.AUTHORIZATION - 1)
    static final class FullSessionOnly implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getSecurityContext().getUserPrincipal() instanceof Caller caller && caller.scope() != SessionScope.FULL) {
                throw new SessionScopeException(caller.scope());
            }
        }
    }
}
