package io.cloudpilot.plugin.toolkit;

import java.math.BigDecimal;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Kubernetes quantities as numbers, exactly: every suffix of the API ({@code m}, {@code Ki}…{@code Ei},
 * {@code k}…{@code E}, exponents), through fabric8's own parser. CPU in cores, memory in bytes.
 */
public final class Quantities {

    private Quantities() {
    }

    /**
     * @param q a quantity, or null
     * @return its value in base units (cores, bytes), 0 when absent or unparseable
     */
    public static BigDecimal amount(Quantity q) {
        if (q == null || q.getAmount() == null || q.getAmount().isBlank()) {
            return BigDecimal.ZERO;
        }
        try {
            return q.getNumericalAmount();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }
}
