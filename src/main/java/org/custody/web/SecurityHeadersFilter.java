package org.custody.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Headers on every response, errors included: nothing is cached (answers hold personal data), no content sniffing,
 * no framing, no referrer, no active content. No CORS headers are ever sent, so browsers refuse cross-origin
 * scripts the service's data; a deployment that needs a browser client on another origin must add that deliberately.
 */
public final class SecurityHeadersFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (response instanceof HttpServletResponse http) {
            http.setHeader("Cache-Control", "no-store");
            http.setHeader("Pragma", "no-cache");
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("X-Frame-Options", "DENY");
            http.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            http.setHeader("Referrer-Policy", "no-referrer");
        }
        chain.doFilter(request, response);
    }
}
