package io.shoal.bench.peer;

import io.shoal.tracker.server.TrackerConfig;
import io.shoal.tracker.server.TrackerServer;

import java.io.IOException;
import java.net.InetAddress;

/**
 * An in-process shoal tracker on 127.0.0.1 for the benchmark's peers. The tracker takes one ephemeral port number
 * for both UDP and TCP, and on a busy machine the number free for one may be taken for the other: a few attempts.
 */
final class LocalTracker {
    private static final int ATTEMPTS = 8;

    private LocalTracker() {
    }

    static TrackerServer start() throws IOException, InterruptedException {
        Exception last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return TrackerServer.start(TrackerConfig.defaults(InetAddress.getLoopbackAddress(), 0));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e; // "Address already in use": Netty rethrows the socket's IOException undeclared
            }
        }
        throw new IOException("cannot start the tracker on 127.0.0.1 after " + ATTEMPTS + " attempts", last);
    }

    /** The HTTP announce URL of {@code tracker}. */
    static String announceUrl(TrackerServer tracker) {
        return "http://127.0.0.1:" + tracker.httpAddress().getPort() + "/announce";
    }
}
