package io.shoal.netem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accuracy probe at a rate the leak-tracking test JVM sustains: everything arrives, nothing before its latency,
 * and the probe cleans up. The README has the probe's figures at 10k and 100k datagrams per second.
 */
@Timeout(60)
class DelayAccuracyProbeTest {
    @Test
    void shouldDeliverEverythingOnTimeAtAThousandPacketsPerSecond() throws Exception {
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 7)) {
            DelayAccuracyProbe.measure(server, 5, 1000, 1, false); // warm-up
            DelayAccuracyProbe.Result r = DelayAccuracyProbe.measure(server, 5, 1000, 1, false);
            System.out.println("netem delay accuracy (test JVM, paranoid leak detection): " + r);
            assertEquals(r.sent(), r.received(), r.toString());
            assertTrue(r.minUs() >= 0, "delivered before the latency elapsed: " + r);
            // No bound on the median here: the test JVM tracks every buffer (paranoid leak detection) and shares
            // loaded CPUs, so its figures are printed; the probe's main measures the real ones.
            assertTrue(server.proxies().list().isEmpty(), "the probe deletes its proxies");
        }
    }

    @Test
    void shouldMeasureTheLoadAloneWhenTheProxyIsBypassed() throws Exception {
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 7)) {
            DelayAccuracyProbe.Result r = DelayAccuracyProbe.measure(server, 5, 1000, 1, true);
            System.out.println("probe alone (test JVM): " + r);
            assertEquals(r.sent(), r.received(), r.toString());
            assertTrue(r.minUs() >= 0 && r.bypass(), r.toString());
            // No proxy was created, so none of its CPU is counted.
            assertEquals(0.0, r.proxyCpuUs(), r.toString());
        }
    }
}
