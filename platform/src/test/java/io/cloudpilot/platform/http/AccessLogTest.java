package io.cloudpilot.platform.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the access log writes of a query string: everything, except the values of parameters that look secret.
 */
class AccessLogTest {

    @Test
    void keepsOrdinaryParametersAsSent() {
        assertEquals("cluster_name=prod&namespace=shop&page=2",
                AccessLog.redact("cluster_name=prod&namespace=shop&page=2"));
        assertEquals("", AccessLog.redact(""));
        assertEquals("", AccessLog.redact(null));
    }

    @Test
    void masksTheValuesOfSecretLookingParametersWhateverTheirCaseOrEncoding() {
        assertEquals("access_token=***&cluster_name=prod", AccessLog.redact("access_token=abc.def&cluster_name=prod"));
        assertEquals("Password=***&API%5FKEY=***&client_secret=***",
                AccessLog.redact("Password=hunter2&API%5FKEY=k-123&client_secret=s"));
        assertEquals("sig=1&X-Auth=***", AccessLog.redact("sig=1&X-Auth=Bearer%20xyz"));
    }

    @Test
    void aParameterWithoutValueOrAnEmptyPairIsKept() {
        assertEquals("token&force_refresh=true&", AccessLog.redact("token&force_refresh=true&"));
    }
}
