package io.cloudpilot.platform.http;

/** CloudPilot's version, as the OpenAPI document, Swagger UI, the build-info metric and {@code --version} say it. */
public final class ProductVersion {

    private ProductVersion() {
    }

    /** @return the platform jar's {@code Implementation-Version}, {@code dev} when not run from a built jar */
    public static String get() {
        String v = ProductVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
