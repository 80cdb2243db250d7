package io.cloudpilot.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a {@link SandboxCluster} that breaks the connection the way real clusters and networks
 * do: refusing connections, hanging, answering slowly, dropping the connection in the middle of a response,
 * answering 5xx from a load balancer, or answering bytes that are not the Kubernetes API. A client pointed at
 * {@link #url()} (or at the kubeconfig {@link #writeKubeconfig(Path)} writes) reaches the sandbox through it.
 *
 * <p>Faults apply per request, to connections already open too (a pooled keep-alive connection hangs as soon
 * as the fault is set), and {@link Fault#REFUSE} closes the listener and every open connection, as a dead API
 * server does; any other fault listens again on the same port.
 *
 * <pre>{@code
 * try (SandboxCluster cluster = SandboxCluster.start(); FaultProxy proxy = FaultProxy.start(cluster)) {
 *     proxy.set(FaultProxy.Fault.HANG);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FaultProxy.class.getName());

    /** What the proxy does to the next requests. */
    public enum Fault {
        /** Forward everything. */
        NONE,
        /** Nothing listens: connections are refused, open ones are reset. */
        REFUSE,
        /** Accept the request and never answer it. */
        HANG,
        /** Hold every request for the configured delay, then forward it. */
        SLOW,
        /** Forward the request, then cut the connection halfway through the first part of the answer. */
        DROP_MID_RESPONSE,
        /** Answer 503 from "a load balancer" with an HTML body, without reaching the cluster. */
        SERVER_ERROR,
        /** Answer 200 with a JSON content type and a body that is not JSON. */
        GARBAGE
    }

    private static final byte[] SERVER_ERROR_RESPONSE = response("503 Service Unavailable", "text/html",
            "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>");
    private static final byte[] GARBAGE_RESPONSE = response("200 OK", "application/json",
            "\u0000\u00ff}{not json at all: \ufffd\ufffd<html>[[[\u0001");

    private final InetSocketAddress target;
    private final SandboxCluster cluster;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ServerSocket listener;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration delay = Duration.ofSeconds(10);

    private FaultProxy(SandboxCluster cluster) throws IOException {
        URI uri = URI.create(cluster.url());
        this.cluster = cluster;
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /**
     * Starts a proxy in front of a sandbox, on an ephemeral loopback port, forwarding everything.
     *
     * @param cluster the sandbox
     * @return the running proxy
     */
    public static FaultProxy start(SandboxCluster cluster) {
        try {
            return new FaultProxy(Objects.requireNonNull(cluster, "cluster is null"));
        } catch (IOException e) {
            throw new UncheckedIOException("the fault proxy cannot listen", e);
        }
    }

    /** @return the proxy's URL, such as {@code http://127.0.0.1:41235} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Writes a kubeconfig that reaches the sandbox through this proxy (mode 0600).
     *
     * @param file the file
     * @return the file
     */
    public Path writeKubeconfig(Path file) {
        return cluster.writeKubeconfig(file, url());
    }

    /** @return the current fault */
    public Fault fault() {
        return fault;
    }

    /**
     * Sets the fault for the next requests; {@link Fault#SLOW} holds each for {@link #delay(Duration)}.
     *
     * @param next the fault, {@link Fault#NONE} to heal
     */
    public synchronized void set(Fault next) {
        Objects.requireNonNull(next, "fault is null");
        if (closed.get()) {
            throw new IllegalStateException("the fault proxy is closed");
        }
        fault = next;
        if (next == Fault.REFUSE) {
            closeQuietly(listener);
            sockets.forEach(this::closeSocket);
        } else if (listener.isClosed()) {
            listener = rebind();
            accept(listener);
        }
    }

    /**
     * @param d how long {@link Fault#SLOW} holds each request (default 10 s)
     */
    public void delay(Duration d) {
        delay = d == null || d.isNegative() ? Duration.ZERO : d;
    }

    /** @return requests (reads from a client) the proxy has seen, whatever it did with them */
    public long requestCount() {
        return requests.get();
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(listener);
            sockets.forEach(this::closeSocket);
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        return socket;
    }

    private ServerSocket rebind() {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return bind(port);
            } catch (IOException e) {
                last = e;
                sleep(Duration.ofMillis(100));
            }
        }
        throw new UncheckedIOException("the fault proxy cannot listen again on port " + port, last);
    }

    private void accept(ServerSocket socket) {
        Thread.ofVirtual().name("fault-proxy-accept-" + port).start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    client.setTcpNoDelay(true);
                    sockets.add(client);
                    Thread.ofVirtual().name("fault-proxy-" + port).start(() -> serve(client));
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        LOG.log(System.Logger.Level.DEBUG, "fault proxy accept failed: {0}", e.getMessage());
                    }
                }
            }
        });
    }

    private void serve(Socket client) {
        Socket upstream = null;
        AtomicBoolean drop = new AtomicBoolean();
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                requests.incrementAndGet();
                Fault f = fault;
                switch (f) {
                    case HANG -> {
                        while (fault == Fault.HANG && !closed.get() && !client.isClosed()) {
                            sleep(Duration.ofMillis(20));
                        }
                        return; // the request was swallowed: this connection cannot answer it any more
                    }
                    case SERVER_ERROR, GARBAGE -> {
                        out.write(f == Fault.SERVER_ERROR ? SERVER_ERROR_RESPONSE : GARBAGE_RESPONSE);
                        out.flush();
                        return;
                    }
                    case SLOW -> {
                        long until = System.nanoTime() + delay.toNanos();
                        while (fault == Fault.SLOW && System.nanoTime() < until && !client.isClosed()) {
                            sleep(Duration.ofMillis(10));
                        }
                    }
                    case DROP_MID_RESPONSE -> drop.set(true);
                    default -> {
                        // NONE (and REFUSE on a connection accepted just before): forward
                    }
                }
                if (upstream == null) {
                    upstream = new Socket();
                    upstream.setTcpNoDelay(true);
                    sockets.add(upstream);
                    upstream.connect(target, 5_000);
                    Socket from = upstream;
                    Thread.ofVirtual().name("fault-proxy-" + port + "-back").start(() -> back(from, client, drop));
                }
                upstream.getOutputStream().write(buffer, 0, n);
                upstream.getOutputStream().flush();
            }
        } catch (IOException e) {
            // the client or the cluster went away; close both ends
        } finally {
            closeSocket(client);
            closeSocket(upstream);
        }
    }

    /** Copies the cluster's answers back to the client, cutting one short when a drop is armed. */
    private void back(Socket upstream, Socket client, AtomicBoolean drop) {
        try {
            InputStream in = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (drop.get()) {
                    out.write(buffer, 0, Math.max(1, n / 2));
                    out.flush();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeSocket(client);
            closeSocket(upstream);
        }
    }

    private static byte[] response(String status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + bytes.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(bytes, 0, all, h.length, bytes.length);
        return all;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSocket(Socket s) {
        if (s != null) {
            sockets.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + url() + " -> sandbox, fault " + fault + "]";
    }
}
