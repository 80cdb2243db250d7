package io.cloudpilot.sandbox;

import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A list response written from the stored JSON of its objects, with {@code limit}/{@code continue} paging as
 * {@link SandboxDispatcher#listDocument} does it: the body is the objects' bytes one after another, never a tree of
 * them (a 150,000-pod list is about 900 MB of JSON).
 */
final class ListBody {

    private ListBody() {
    }

    /**
     * @param req             the request (its {@code limit} and {@code continue})
     * @param apiVersion      the list's apiVersion
     * @param kind            the list's kind, e.g. PodList
     * @param sorted          the objects, in namespace/name order
     * @param resourceVersion the store's resourceVersion
     * @return the 200 response
     */
    static MockResponse of(ApiRequest req, String apiVersion, String kind, List<ObjectStore.Stored> sorted,
                           String resourceVersion) {
        List<ObjectStore.Stored> page = sorted;
        String token = req.param("continue");
        if (token != null && !token.isEmpty()) {
            String start = SandboxDispatcher.decodeContinue(token);
            int from = 0;
            while (from < page.size() && page.get(from).key().compareTo(start) < 0) {
                from++;
            }
            page = page.subList(from, page.size());
        }
        StringBuilder metadata = new StringBuilder("{\"resourceVersion\":\"").append(resourceVersion).append('"');
        Long limit = req.longParam("limit");
        if (limit != null && limit > 0 && page.size() > limit) {
            long remaining = page.size() - limit;
            page = page.subList(0, limit.intValue());
            metadata.append(",\"continue\":\"")
                    .append(SandboxDispatcher.encodeContinue(page.getLast().key() + "\u0000", resourceVersion))
                    .append("\",\"remainingItemCount\":").append(remaining);
        }
        metadata.append('}');
        String head = "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind + "\",\"metadata\":" + metadata
                + ",\"items\":[";
        long size = head.length() + 2L + page.size();
        for (ObjectStore.Stored s : page) {
            size += s.json().length();
        }
        if (size > Integer.MAX_VALUE - 64) {
            throw new ApiException(500, "InternalError", "the list is larger than 2 GB; ask for it with limit", null);
        }
        Bytes out = new Bytes((int) size);
        out.write(head);
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                out.write(",");
            }
            out.write(page.get(i).json());
        }
        out.write("]}");
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(new Buffer(out.bytes()));
    }

    /** A byte array sized for ASCII JSON (exact then), growing for anything else. */
    private static final class Bytes {
        private byte[] buf;
        private int length;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        void write(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (length + b.length > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, length + b.length));
            }
            System.arraycopy(b, 0, buf, length, b.length);
            length += b.length;
        }

        byte[] bytes() {
            return length == buf.length ? buf : java.util.Arrays.copyOf(buf, length);
        }
    }
}
