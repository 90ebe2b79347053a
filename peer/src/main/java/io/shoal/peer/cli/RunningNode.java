package io.shoal.peer.cli;

import io.shoal.peer.node.PeerNode;
import io.shoal.peer.node.PeerNodeConfig;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link PeerNode} started for one command, with a shutdown hook so Ctrl-C (SIGINT, SIGTERM) closes it cleanly:
 * torrents stop and write their resume data before the JVM exits (with 130 after SIGINT). {@link #close()} at the
 * normal end of a command removes the hook, so in-process runs (tests) leave nothing behind.
 */
final class RunningNode implements AutoCloseable {
    private final PeerNode node;
    private final Thread hook;
    private final CompletableFuture<Void> interrupted = new CompletableFuture<>();

    private RunningNode(PeerNode node) {
        this.node = node;
        this.hook = new Thread(() -> {
            interrupted.complete(null);
            node.close();
        }, "shoal-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Binds and starts the node; a port in use or a bad address becomes one readable line. */
    static RunningNode start(PeerNodeConfig config) throws CliFailure {
        try {
            return new RunningNode(PeerNode.start(config));
        } catch (IOException e) {
            throw new CliFailure("cannot listen on " + config.bindAddress().getHostAddress() + ":" + config.port()
                + " (" + e.getMessage() + "); choose another --port");
        }
    }

    PeerNode node() {
        return node;
    }

    /** Completes when the JVM is shutting down (Ctrl-C); the node is being closed. */
    CompletableFuture<Void> interrupted() {
        return interrupted;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook closes the node.
            return;
        }
        node.close();
    }
}
