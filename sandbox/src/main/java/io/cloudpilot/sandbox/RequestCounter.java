package io.cloudpilot.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API requests served, by method and path (without query), so tests can assert how many upstream calls
 * the product made. The mock web server's own recorded-request queue is cleared regularly instead of used.
 */
final class RequestCounter {

    private final AtomicLong total = new AtomicLong();
    private final Map<String, LongAdder> byMethodAndPath = new ConcurrentHashMap<>();

    /**
     * @param method the HTTP method
     * @param path   the path without query
     * @return the number of requests counted so far, this one included (since the counter started; resets do not
     *         restart this sequence)
     */
    long record(String method, String path) {
        byMethodAndPath.computeIfAbsent(method + " " + path, k -> new LongAdder()).increment();
        return total.incrementAndGet();
    }

    long total() {
        long sum = 0;
        for (LongAdder a : byMethodAndPath.values()) {
            sum += a.sum();
        }
        return sum;
    }

    long count(String method, String pathPrefix) {
        String prefix = method.toUpperCase(java.util.Locale.ROOT) + " " + pathPrefix;
        long sum = 0;
        for (Map.Entry<String, LongAdder> e : byMethodAndPath.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                sum += e.getValue().sum();
            }
        }
        return sum;
    }

    void reset() {
        byMethodAndPath.clear();
    }
}
