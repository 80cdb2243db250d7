package io.cloudpilot.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.cloudpilot.spi.ApiException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Swagger UI at {@code /openapi/ui}, on the document at {@code /openapi}. The UI's files (SmallRye's bundle of
 * swagger-ui) are read from their jar into memory whole, once, and every answer is one array with its length:
 * Helidon's own UI service unpacked each file to a temporary file first and served whatever that file held, which
 * once was a third of {@code swagger-ui-bundle.js} until a restart (a blank UI). A file that cannot be read whole is
 * an error, never a shorter answer.
 */
@Path("/openapi/ui")
@ApplicationScoped
public class SwaggerUiResource {

    /** Where the smallrye-open-api-ui jar keeps swagger-ui's files. */
    static final String ASSETS = "META-INF/resources/openapi-ui/";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "html", "text/html; charset=UTF-8",
            "png", "image/png",
            "ico", "image/x-icon",
            "map", "application/json");

    /** The files read so far (at most the jar's dozen: a name the jar lacks is never kept). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /** @return a redirect to the UI's page */
    @GET
    @Operation(hidden = true)
    public Response root() {
        return Response.temporaryRedirect(URI.create("/openapi/ui/index.html")).build();
    }

    /**
     * @param name a file of the UI
     * @return it, whole
     */
    @GET
    @Path("/{file}")
    @Operation(hidden = true)
    public Response file(@PathParam("file") String name) {
        if (name.equals("index.html")) {
            byte[] page = indexPage();
            return Response.ok(page, TYPES.get("html")).header(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .header(HttpHeaders.CONTENT_LENGTH, page.length).build();
        }
        byte[] body = FILE.matcher(name).matches() ? asset(name).orElse(null) : null;
        String type = body == null ? null : TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            throw new ApiException.NotFound("Swagger UI has no file " + ApiException.quote(name)
                    + ": open /openapi/ui/index.html.");
        }
        // one array with its length: never chunked, so a cut answer shows as one (the client sees the length)
        return Response.ok(body, type).header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
                .header(HttpHeaders.CONTENT_LENGTH, body.length).build();
    }

    /**
     * @param name a file of the UI
     * @return its bytes as the jar holds them, empty when the jar has no such file
     * @throws UncheckedIOException when the jar cannot be read (the request fails; nothing partial is kept or sent)
     */
    Optional<byte[]> asset(String name) {
        return Optional.ofNullable(files.computeIfAbsent(name, n -> {
            try (InputStream in = SwaggerUiResource.class.getClassLoader().getResourceAsStream(ASSETS + n)) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Swagger UI's " + n, e);
            }
        }));
    }

    /** The UI's page: swagger-ui on this server's document, titled after the product and its version. */
    static byte[] indexPage() {
        String title = "CloudPilot " + ProductVersion.get() + " API";
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="UTF-8">
                  <title>%s</title>
                  <link rel="stylesheet" type="text/css" href="swagger-ui.css">
                  <link rel="icon" type="image/x-icon" href="favicon.ico">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="swagger-ui-bundle.js" charset="UTF-8"></script>
                  <script>
                    window.onload = function () {
                      window.ui = SwaggerUIBundle({
                        url: '/openapi',
                        dom_id: '#swagger-ui',
                        deepLinking: true,
                        presets: [SwaggerUIBundle.presets.apis],
                        layout: 'BaseLayout'
                      });
                    };
                  </script>
                </body>
                </html>
                """.formatted(title).getBytes(StandardCharsets.UTF_8);
    }
}
