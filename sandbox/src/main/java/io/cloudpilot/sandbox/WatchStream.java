package io.cloudpilot.sandbox;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.locks.Lock;

/**
 * Wraps the CRUD mock's watch listener to fix two hazards of the mock:
 * <ul>
 * <li>its {@code onClosed}/{@code onFailure} wait (up to a minute) for the watch's sender thread, on the Vert.x event
 * loop, while that thread may be waiting for the same event loop to write: the loop stalls for 30 s (fabric8-notes
 * §2). They run on a virtual thread here, so the loop never blocks and closing the server stays quick;</li>
 * <li>its {@code onOpen} replays the store outside any request, so it runs under the sandbox's read lock, like every
 * other read of the store.</li>
 * </ul>
 */
final class WatchStream extends WebSocketListener {

    private final WebSocketListener delegate;
    private final Lock readLock;

    WatchStream(WebSocketListener delegate, Lock readLock) {
        this.delegate = delegate;
        this.readLock = readLock;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        readLock.lock();
        try {
            delegate.onOpen(webSocket, response);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onPing(WebSocket webSocket, byte[] bytes) {
        delegate.onPing(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        Thread.ofVirtual().name("sandbox-watch-closed").start(() -> delegate.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        Thread.ofVirtual().name("sandbox-watch-failed").start(() -> delegate.onFailure(webSocket, t, response));
    }
}
