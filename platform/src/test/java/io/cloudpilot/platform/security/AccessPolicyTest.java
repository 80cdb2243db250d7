package io.cloudpilot.platform.security;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The role every kind of operation needs, and constant-time token lookup.
 */
class AccessPolicyTest {

    @Test
    void rolesByMethodAndEndpoint() {
        assertEquals(Role.VIEWER, AccessPolicy.required("GET", "/k8s/resources/pods/list"));
        assertEquals(Role.VIEWER, AccessPolicy.required("HEAD", "/k8s/cluster/list"));
        assertEquals(Role.OPERATOR, AccessPolicy.required("POST", "/k8s/resources/deployments/scaling"));
        assertEquals(Role.OPERATOR, AccessPolicy.required("PATCH", "/some/plugin/write"));
        assertEquals(Role.ADMIN, AccessPolicy.required("POST", "/k8s/cluster/add"));
        assertEquals(Role.ADMIN, AccessPolicy.required("DELETE", "/k8s/cluster/remove"));
        assertEquals(Role.ADMIN, AccessPolicy.required("GET", "/audit"));
        assertEquals("/k8s/cluster/add", AccessPolicy.template("k8s/cluster/", "/add"));
        assertEquals("/audit", AccessPolicy.template("/audit", null));
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertTrue(Role.ADMIN.allows(Role.OPERATOR) && Role.ADMIN.allows(Role.VIEWER));
        assertTrue(Role.OPERATOR.allows(Role.VIEWER));
        assertFalse(Role.VIEWER.allows(Role.OPERATOR) || Role.OPERATOR.allows(Role.ADMIN));
    }

    @Test
    void tokensAreFoundByTheirHashAmongAll() {
        String a = ApiAuthTest.token();
        String b = ApiAuthTest.token();
        TokenAuthenticator tokens = new TokenAuthenticator(List.of(
                new ApiToken("a", Role.VIEWER, TokenAuthenticator.sha256(a)),
                new ApiToken("b", Role.ADMIN, TokenAuthenticator.sha256(b))));
        assertEquals(Caller.token("b", Role.ADMIN), tokens.authenticate(b).orElseThrow());
        assertEquals(Caller.token("a", Role.VIEWER), tokens.authenticate(a).orElseThrow());
        assertTrue(tokens.authenticate("").isEmpty());
        assertTrue(tokens.authenticate(a + " ").isEmpty());
        assertTrue(tokens.authenticate(a.toUpperCase(Locale.ROOT)).isEmpty());
    }
}
