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

    @Test
    void aMalformedEscapeInAParameterNameIsJudgedByItsRawText() {
        // URLDecoder throws on "%zz": it used to escape from the access log's finally, after the answer was sent
        assertEquals("%zz=1&key%zz=***", AccessLog.redact("%zz=1&key%zz=2"));
    }

    @Test
    void helidonsOwnPathsAreRoutesByNameAnythingElseUnmatched() {
        assertEquals("/health/ready", AccessLog.featureRoute("/health/ready"));
        assertEquals("/metrics", AccessLog.featureRoute("/metrics"));
        assertEquals("/health/*", AccessLog.featureRoute("/health/check/registry"));
        assertEquals("unmatched", AccessLog.featureRoute("/no/such/thing"));
        assertEquals("unmatched", AccessLog.featureRoute("/healthy"));
    }
}
