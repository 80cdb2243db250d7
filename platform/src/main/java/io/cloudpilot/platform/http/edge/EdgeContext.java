package io.cloudpilot.platform.http.edge;

import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.cloudpilot.platform.http.EdgeErrors;
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

    private final ConnectionContext delegate;
    private final DataReader reader;
    private final ListenerContext listener;

    EdgeContext(ConnectionContext delegate, EdgeRules rules) {
        this.delegate = delegate;
        this.reader = new DataReader(new RequestFraming(delegate.dataReader(), rules));
        this.listener = new EnvelopeListener(delegate.listenerContext());
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
        return delegate.dataWriter();
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
