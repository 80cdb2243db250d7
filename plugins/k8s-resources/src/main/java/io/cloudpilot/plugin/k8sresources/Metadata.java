package io.cloudpilot.plugin.k8sresources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Quantities;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The facts every view reads the same way: ages, label maps, quantities as raw strings and as numbers.
 */
final class Metadata {

    private Metadata() {
    }

    static String age(HasMetadata o, Instant now) {
        return o.getMetadata() == null ? null : Ages.format(o.getMetadata().getCreationTimestamp(), now);
    }

    static String created(HasMetadata o) {
        return o.getMetadata() == null ? null : o.getMetadata().getCreationTimestamp();
    }

    static Map<String, String> labels(HasMetadata o) {
        return o.getMetadata() == null || o.getMetadata().getLabels() == null ? Map.of()
                : new TreeMap<>(o.getMetadata().getLabels());
    }

    static Map<String, String> annotations(HasMetadata o) {
        return o.getMetadata() == null || o.getMetadata().getAnnotations() == null ? Map.of()
                : new TreeMap<>(o.getMetadata().getAnnotations());
    }

    static Map<String, String> raw(Map<String, Quantity> quantities) {
        Map<String, String> out = new TreeMap<>();
        if (quantities != null) {
            quantities.forEach((k, v) -> out.put(k, v == null ? null : v.toString()));
        }
        return out;
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static Double cores(BigDecimal v) {
        return v == null ? null : v.setScale(3, RoundingMode.HALF_UP).doubleValue();
    }

    static Long bytes(BigDecimal v) {
        return v == null ? null : v.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static BigDecimal amount(Map<String, Quantity> quantities, String key) {
        return quantities == null || quantities.get(key) == null ? null : Quantities.amount(quantities.get(key));
    }

    /** @return part/whole in percent with one decimal, null when the whole is unknown or zero */
    static Double percent(BigDecimal part, BigDecimal whole) {
        if (part == null || whole == null || whole.signum() == 0) {
            return null;
        }
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_UP).doubleValue();
    }

    static String intOrString(IntOrString v) {
        if (v == null) {
            return null;
        }
        return v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
    }

    static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
