package io.shoal.netem;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how accurately a UDP proxy holds datagrams for a {@code latency} toxic, end to end on loopback: a sender
 * thread paces numbered datagrams carrying their send time through an in-process proxy, a blocking receiver takes
 * receive time minus send time minus the latency. Run it outside the test JVM (whose paranoid leak detector tracks
 * every buffer and slows the proxy tenfold):
 * {@code java -cp "tests-netem/target/shoal-netem.jar:tests-netem/target/lib/*" io.shoal.netem.DelayAccuracyProbe}
 * [latencyMs] [pps...].
 */
public final class DelayAccuracyProbe {
    /** Percentiles of one run. */
    public record Result(int pps, int sent, int received, long p50Us, long p99Us, long minUs, double proxyCpuUs) {
        @Override
        public String toString() {
            return String.format("%d pps: %d of %d delivered, delay error p50 %d us, p99 %d us, min %d us; "
                + "proxy thread CPU %.2f us per datagram", pps, received, sent, p50Us, p99Us, minUs, proxyCpuUs);
        }
    }

    private DelayAccuracyProbe() {
    }

    public static void main(String[] args) throws Exception {
        long latencyMs = args.length > 0 ? Long.parseLong(args[0]) : 10;
        int[] rates = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {10_000, 100_000};
        try (NetemServer server = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            measure(server, latencyMs, 10_000, 1); // warm-up
            for (int pps : rates) {
                System.out.println("latency " + latencyMs + " ms, " + measure(server, latencyMs, pps, 1));
            }
        }
    }

    /** Sends {@code pps} datagrams per second for {@code seconds} through a fresh proxy with a latency toxic. */
    public static Result measure(NetemServer server, long latencyMs, int pps, int seconds) throws IOException {
        int n = pps * seconds;
        try (DatagramSocket sender = open(); DatagramSocket receiver = open()) {
            String name = "accuracy-" + pps + "-" + System.nanoTime();
            NetemProxy proxy = server.proxies().create(new ProxyRegistry.ProxySpec(name, "udp://127.0.0.1:0",
                "udp://127.0.0.1:" + receiver.getLocalPort(), null));
            proxy.toxics().add(new Toxic("lat", ToxicType.LATENCY, ToxicStream.UPSTREAM, 1.0,
                new double[] {latencyMs, 0}, System.nanoTime()));
            InetSocketAddress target = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(proxy.listen().replaceAll(".*:", "")));
            long[] errorsUs = new long[n];
            int[] count = new int[1];
            long latencyNs = TimeUnit.MILLISECONDS.toNanos(latencyMs);
            Thread rx = new Thread(() -> receive(receiver, errorsUs, count, latencyNs), "probe-rx");
            long cpuBeforeNs = proxyCpuNs();
            rx.start();
            send(sender, target, pps, n);
            join(rx);
            // CPU the proxy's event loop spent per datagram: what it costs, whatever else the machine is doing.
            double cpuUs = (proxyCpuNs() - cpuBeforeNs) / 1000.0 / Math.max(1, count[0]);
            server.proxies().delete(name);
            long[] got = Arrays.copyOf(errorsUs, count[0]);
            Arrays.sort(got);
            if (got.length == 0) {
                return new Result(pps, n, 0, -1, -1, -1, cpuUs);
            }
            return new Result(pps, n, got.length, got[got.length / 2], got[got.length * 99 / 100], got[0], cpuUs);
        }
    }

    private static void send(DatagramSocket sender, InetSocketAddress target, int pps, int n) throws IOException {
        byte[] d = new byte[64];
        DatagramPacket packet = new DatagramPacket(d, d.length, target);
        ByteBuffer view = ByteBuffer.wrap(d);
        long startNs = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long dueNs = startNs + (long) i * 1_000_000_000L / pps;
            // Pacing: park while more than 100 us early, so bursts stay short and no core is burnt spinning.
            while (dueNs - System.nanoTime() > 100_000L) {
                LockSupport.parkNanos(50_000L);
            }
            view.putLong(0, System.nanoTime());
            sender.send(packet);
        }
    }

    private static void receive(DatagramSocket receiver, long[] errorsUs, int[] count, long latencyNs) {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        ByteBuffer view = ByteBuffer.wrap(buffer);
        try {
            receiver.setSoTimeout(2_000);
            while (count[0] < errorsUs.length) {
                receiver.receive(packet);
                errorsUs[count[0]++] = (System.nanoTime() - view.getLong(0) - latencyNs) / 1000;
            }
        } catch (SocketTimeoutException quiet) {
            // nothing more arrives; what did not arrive is reported as not delivered
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long proxyCpuNs() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("netem-proxy")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DatagramSocket open() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSendBufferSize(4 << 20);
        return s;
    }
}
