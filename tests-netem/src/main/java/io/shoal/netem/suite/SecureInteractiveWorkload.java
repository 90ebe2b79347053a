package io.shoal.netem.suite;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.shoal.rudp.kcp.KcpStats;

import java.util.concurrent.TimeUnit;

/**
 * {@link RudpInteractiveWorkload}'s messages over the secure profile on the Netty API, through a UDP proxy: same
 * messages, cadence and engine settings (message mode), each checked by {@link MessageCheck}; one-way latency and
 * the client engine's wire bytes. It runs under NAT rebinding too, where it also requires the server to have
 * followed at least one path change.
 */
public final class SecureInteractiveWorkload implements Workload {
    @Override
    public String id() {
        return "secure-interactive";
    }

    @Override
    public Measurement run(ScenarioContext ctx) throws Exception {
        int messages = ctx.size().interactiveMessages();
        MessageCheck receiver = new MessageCheck(ctx, messages);
        try (SecureLink link = SecureLink.open(ctx, "secure-interactive", false,
            SecureLink.reading(receiver::accept), new ChannelInboundHandlerAdapter())) {
            long startNs = System.nanoTime();
            RudpInteractiveWorkload.awaitTicking(ctx, receiver, link.client().eventLoop(),
                seq -> link.client().writeAndFlush(MessageCheck.message(ctx.seed(), seq), link.client().voidPromise()));
            long elapsedNs = System.nanoTime() - startNs;
            KcpStats stats = link.clientKcp();
            return RudpInteractiveWorkload.measurement(messages, elapsedNs, receiver.latency, stats,
                link.pathChangesChecked(ctx));
        }
    }
}
