package io.cloudpilot.platform.http;

import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.helidon.microprofile.server.ServerCdiExtension;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Adds the web server filters that see every request, JAX-RS or not ({@code /health}, {@code /metrics},
 * {@code /openapi} too): {@link InFlightRequests} (graceful shutdown), {@link AccessLog} (request ids, request
 * metrics and, with {@code log.access} (default true), the access log), and the {@code finally} that disarms a
 * request's {@link RequestDeadline}. Runs before Helidon
 * starts the server.
 */
public class WebServerFilters implements Extension {

    private final InFlightRequests inFlight = new InFlightRequests();

    void addFilters(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                    Object event, BeanManager beanManager) {
        var routing = beanManager.getExtension(ServerCdiExtension.class).serverRoutingBuilder();
        // the access log is outermost: it also records (and ids, and counts) the requests refused while shutting down
        routing.addFilter(new AccessLog(ConfigProvider.getConfig().getOptionalValue("log.access", Boolean.class)
                .orElse(true)));
        routing.addFilter(inFlight);
        PlatformMetrics.registerProcess(ProductVersion.get());
        RequestDeadline.configured(); // a bad cloudpilot.request-timeout stops the start, not every request
        BodyLimitFilter.configured(); // and so does a bad cloudpilot.max-body-size
        routing.addFilter((chain, req, res) -> {
            try {
                chain.proceed();
            } finally {
                RequestDeadline.finish(); // whatever way the request ended, its deadline never outlives it
            }
        });
    }

    /** @return the in-flight counter of this server */
    public InFlightRequests inFlight() {
        return inFlight;
    }
}
