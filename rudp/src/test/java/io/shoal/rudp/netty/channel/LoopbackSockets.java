package io.shoal.rudp.netty.channel;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The event loop group of one loopback test and the sockets it opened, as a JUnit extension
 * ({@code @RegisterExtension}): a fresh NIO group before each test; after it, every tracked socket closed, then the
 * group shut down. The loopback tests had this set-up written out each.
 */
final class LoopbackSockets implements BeforeEachCallback, AfterEachCallback {
    private EventLoopGroup group;
    private final List<Channel> sockets = new ArrayList<>();

    @Override
    public void beforeEach(final ExtensionContext context) {
        group = LoopbackRudp.group();
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException {
        for (Channel c : sockets) {
            c.close().sync();
        }
        sockets.clear();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** @return this test's group */
    EventLoopGroup group() {
        return group;
    }

    /** Runs the rest of the test on {@code io}'s transport: the current group is shut down first. */
    void use(final LoopbackRudp.Io io) throws InterruptedException {
        final EventLoopGroup g = io.group();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        group = g;
    }

    /** Closes {@code c} after the test; returns it. */
    Channel track(final Channel c) {
        sockets.add(c);
        return c;
    }
}
