package io.cloudpilot.platform.http.edge;

import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.cloudpilot.platform.http.EdgeErrors;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.context.Context;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.media.MediaContext;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http.DirectHandlers;

/**
 * A connection as Helidon's HTTP/1 parser sees it through the edge: its bytes come through {@link RequestFraming},
 * and the answers the web server gives by itself are rendered by {@link EdgeErrors}. Everything else is the
 * connection's own.
 */
final class EdgeContext implements ConnectionContext {

    private static final DirectHandlers ENVELOPES = EdgeErrors.handlers();

    private static final byte[] CLOSE = "\r\nconnection: close\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ConnectionContext delegate;
    private final RequestFraming framing;
    private final DataReader reader;
    private final ListenerContext listener;
    private final DataWriter writer;

    EdgeContext(ConnectionContext delegate, EdgeRules rules) {
        this.delegate = delegate;
        this.framing = new RequestFraming(delegate.dataReader(), rules);
        this.reader = new DataReader(framing);
        this.listener = new EnvelopeListener(delegate.listenerContext());
        this.writer = new ClosingWriter(delegate.dataWriter());
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return listener;
    }

    @Override
    public ExecutorService executor() {
        return delegate.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    /**
     * Watches the answers: one that says {@code Connection: close} ends the request stream. Helidon 4.3 skips the
     * rest of an unread body after such an answer (a 413 before the body is read) and then reads on, so the body's
     * bytes would be parsed as the next request.
     */
    private final class ClosingWriter implements DataWriter {
        private final DataWriter out;

        private ClosingWriter(DataWriter out) {
            this.out = out;
        }

        private void watch(BufferData buffer) {
            if (buffer.available() > 9 && buffer.get(0) == 'H' && buffer.get(1) == 'T' && buffer.get(2) == 'T'
                    && closes(buffer)) {
                framing.answeredWithClose();
            }
        }

        @Override
        public void write(BufferData... buffers) {
            for (BufferData b : buffers) {
                watch(b);
            }
            out.write(buffers);
        }

        @Override
        public void write(BufferData buffer) {
            watch(buffer);
            out.write(buffer);
        }

        @Override
        public void writeNow(BufferData... buffers) {
            for (BufferData b : buffers) {
                watch(b);
            }
            out.writeNow(buffers);
        }

        @Override
        public void writeNow(BufferData buffer) {
            watch(buffer);
            out.writeNow(buffer);
        }
    }

    /** Whether a response head (up to its empty line, at most 16 KiB) holds {@code Connection: close}. */
    private static boolean closes(BufferData buffer) {
        int end = Math.min(buffer.available(), 16_384);
        for (int i = 0; i + CLOSE.length <= end; i++) {
            if (buffer.get(i) == '\r' && i + 3 < end && buffer.get(i + 2) == '\r' && buffer.get(i + 3) == '\n') {
                return false; // end of the head
            }
            int j = 0;
            while (j < CLOSE.length && Character.toLowerCase(buffer.get(i + j)) == CLOSE[j]) {
                j++;
            }
            if (j == CLOSE.length) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Router router() {
        return delegate.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return delegate.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return delegate.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return delegate.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return delegate.localPeer();
    }

    @Override
    public boolean isSecure() {
        return delegate.isSecure();
    }

    @Override
    public String socketId() {
        return delegate.socketId();
    }

    @Override
    public String childSocketId() {
        return delegate.childSocketId();
    }

    /** The listener, with envelopes for the web server's own answers. */
    private record EnvelopeListener(ListenerContext delegate) implements ListenerContext {
        @Override
        public DirectHandlers directHandlers() {
            return ENVELOPES;
        }

        @Override
        public Context context() {
            return delegate.context();
        }

        @Override
        public MediaContext mediaContext() {
            return delegate.mediaContext();
        }

        @Override
        public ContentEncodingContext contentEncodingContext() {
            return delegate.contentEncodingContext();
        }

        @Override
        public ListenerConfig config() {
            return delegate.config();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }
    }
}
