package io.shoal.netem;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Toxiproxy's TCP toxics with real sockets on loopback, driven by toxiproxy-java. Runs against a real
 * {@code toxiproxy-server} instead with {@code -Dshoal.netem.backend=toxiproxy} (skipped when it is not installed).
 * Every read has a socket timeout, so a broken toxic fails the test instead of hanging it.
 */
@Timeout(60)
class TcpToxicsTest {
    private static final int READ_TIMEOUT_MS = 10_000;

    private ApiServer server;
    private TcpBackend backend;
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ApiServer.selected();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (server != null) { // null when the test was skipped for want of toxiproxy-server
            server.close();
        }
    }

    private Proxy proxyTo(TcpBackend.Behaviour behaviour) throws IOException {
        backend = new TcpBackend(behaviour);
        return server.client().createProxy("tcp", "127.0.0.1:0", backend.address());
    }

    private Socket connect(Proxy p) throws IOException {
        Socket s = new Socket();
        s.connect(ApiServer.listenAddress(p.getListen()), READ_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        closeables.add(s);
        return s;
    }

    private static long echoRoundTripMs(Socket s) throws IOException {
        long t0 = System.nanoTime();
        s.getOutputStream().write(42);
        assertEquals(42, s.getInputStream().read());
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void shouldAddLatencyEachWayWhenLatencyIsSet() throws Exception {
        Proxy p = proxyTo(TcpBackend::echo);
        Socket s = connect(p);
        long base = echoRoundTripMs(s);
        p.toxics().latency("down", ToxicDirection.DOWNSTREAM, 150);
        p.toxics().latency("up", ToxicDirection.UPSTREAM, 100).setJitter(0);
        long rtt = echoRoundTripMs(s);
        assertTrue(rtt >= 250, "round trip " + rtt + " ms with 100 + 150 ms of latency");
        assertTrue(rtt < 250 + 2000 + base, "round trip " + rtt + " ms (latency applied more than once?)");
    }

    @Test
    void shouldNotApplyAToxicWhenToxicityIsZero() throws Exception {
        Proxy p = proxyTo(TcpBackend::echo);
        p.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 2000).setToxicity(0f);
        long rtt = echoRoundTripMs(connect(p));
        assertTrue(rtt < 1000, "toxicity 0 must leave new connections alone, took " + rtt + " ms");
    }

    @Test
    void shouldPaceToTheRateWhenBandwidthIsSet() throws Exception {
        byte[] data = pattern(100_000);
        Proxy p = proxyTo(sock -> sock.getOutputStream().write(data));
        p.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, 100); // 100 KB/s: 100 kB takes about a second
        Socket s = connect(p);
        long t0 = System.nanoTime();
        byte[] got = readAll(s.getInputStream());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertArrayEquals(data, got);
        assertTrue(ms >= 800 && ms < 5000, "100 kB at 100 KB/s took " + ms + " ms");
    }

    @Test
    void shouldDropDataAndCloseAfterTheTimeout() throws Exception {
        Proxy p = proxyTo(TcpBackend::echo);
        p.toxics().timeout("to", ToxicDirection.UPSTREAM, 300);
        Socket s = connect(p);
        long t0 = System.nanoTime();
        s.getOutputStream().write(pattern(10));
        assertEquals(-1, s.getInputStream().read(), "no data passes, then the proxy closes");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 250 && ms < 5000, "closed after " + ms + " ms");
    }

    @Test
    void shouldCloseConnectionsWhenAnEndlessTimeoutIsRemoved() throws Exception {
        Proxy p = proxyTo(TcpBackend::echo);
        p.toxics().timeout("hold", ToxicDirection.UPSTREAM, 0);
        Socket s = connect(p);
        s.getOutputStream().write(1);
        s.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read(),
            "timeout 0 holds data forever");
        s.setSoTimeout(READ_TIMEOUT_MS);
        p.toxics().get("hold").remove();
        assertEquals(-1, s.getInputStream().read(), "removing the toxic closes the connections it held");
    }

    @Test
    void shouldResetThePeerAfterTheTimeout() throws Exception {
        Proxy p = proxyTo(TcpBackend::echo);
        p.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 100);
        Socket s = connect(p);
        s.getOutputStream().write(pattern(10));
        SocketException e = assertThrows(SocketException.class, () -> {
            while (s.getInputStream().read() >= 0) {
                // drain until the reset arrives
            }
            throw new SocketException("closed without a reset");
        });
        assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
    }

    @Test
    void shouldSliceTheStreamIntoSmallDelayedPieces() throws Exception {
        List<Integer> readSizes = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Proxy p = proxyTo(sock -> {
            byte[] b = new byte[4096];
            int n;
            while ((n = sock.getInputStream().read(b)) > 0) {
                readSizes.add(n);
                synchronized (received) {
                    received.write(b, 0, n);
                }
            }
        });
        p.toxics().slicer("slice", ToxicDirection.UPSTREAM, 10, 2000).setSizeVariation(2);
        Socket s = connect(p);
        byte[] data = pattern(1000);
        long t0 = System.nanoTime();
        s.getOutputStream().write(data);
        s.shutdownOutput();
        Await.until("1000 bytes at the upstream", READ_TIMEOUT_MS, () -> {
            synchronized (received) {
                return received.size() >= 1000;
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        synchronized (received) {
            assertArrayEquals(data, received.toByteArray());
        }
        // About 100 pieces of 8..12 bytes, 2 ms apart: the last byte arrives about 200 ms after the first. (The
        // upstream's read sizes are not asserted: a starved reader finds many pieces waiting at once.)
        assertTrue(ms >= 150, "1000 bytes in 10-byte slices 2 ms apart arrived in " + ms + " ms");
        assertTrue(readSizes.size() > 1, "reads " + readSizes);
    }

    @Test
    void shouldCloseAfterTheByteLimitWhenLimitDataIsSet() throws Exception {
        byte[] data = pattern(5000);
        Proxy p = proxyTo(sock -> {
            sock.getOutputStream().write(data);
            sock.getInputStream().read(); // keep the connection until the client goes
        });
        p.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 1234);
        byte[] got = readAll(connect(p).getInputStream());
        assertArrayEquals(Arrays.copyOf(data, 1234), got);
    }

    @Test
    void shouldDelayTheCloseWhenSlowCloseIsSet() throws Exception {
        Proxy p = proxyTo(sock -> sock.getOutputStream().write(pattern(10)));
        p.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 400);
        Socket s = connect(p);
        long t0 = System.nanoTime();
        assertEquals(10, readAll(s.getInputStream()).length);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 350, "EOF after " + ms + " ms with a 400 ms slow_close");
    }
}
