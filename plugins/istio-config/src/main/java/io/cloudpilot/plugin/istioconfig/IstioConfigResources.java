package io.cloudpilot.plugin.istioconfig;

import io.cloudpilot.spi.ApiException;

/**
 * Parameter rules shared by the three resources.
 */
final class IstioConfigResources {

    private IstioConfigResources() {
    }

    /**
     * @param value {@code has_errors} as given
     * @return true, false, or null when absent
     * @throws ApiException.ValidationError for anything but true/false
     */
    static Boolean hasErrors(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
        }
        throw new ApiException.ValidationError("Query parameter 'has_errors' must be true or false.");
    }
}
