package io.shoal.netem;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.shoal.netem.suite.Executables;
import io.shoal.netem.suite.NetemApi;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The API server a test drives: ours in-process on port 0 (the default), or, for TCP scenarios with
 * {@code -Dshoal.netem.backend=toxiproxy}, a real {@code toxiproxy-server} from the PATH on a free port. When the
 * real server is asked for but not installed, the test is skipped with that reason, never passed.
 */
final class ApiServer implements AutoCloseable {
    static final long SEED = Long.getLong("shoal.seed", 20261122L);
    private static final String BACKEND = System.getProperty("shoal.netem.backend", "shoal");

    private final NetemServer ours;
    private final Process theirs;
    private final String host;
    private final int port;

    private ApiServer(NetemServer ours, Process theirs, String host, int port) {
        this.ours = ours;
        this.theirs = theirs;
        this.host = host;
        this.port = port;
    }

    /** Our server, whatever the backend property says (UDP and extension tests). */
    static ApiServer shoal() throws IOException {
        NetemServer s = NetemServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SEED);
        return new ApiServer(s, null, "127.0.0.1", s.apiAddress().getPort());
    }

    /** The backend the {@code shoal.netem.backend} property selects (TCP scenarios and conformance). */
    static ApiServer selected() throws IOException, InterruptedException {
        if (!BACKEND.equals("toxiproxy")) {
            return shoal();
        }
        String binary = onPath("toxiproxy-server");
        Assumptions.assumeTrue(binary != null,
            "-Dshoal.netem.backend=toxiproxy but toxiproxy-server is not on the PATH (it cannot be installed here)");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary, "-host", "127.0.0.1", "-port", String.valueOf(port))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new ApiServer(null, p, "127.0.0.1", port);
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        p.destroyForcibly();
        throw new IOException("toxiproxy-server did not start on port " + port);
    }

    /** The loopback socket address of a proxy's {@code listen} as the API returns it ({@code udp://} or not). */
    static InetSocketAddress listenAddress(String listen) {
        return NetemApi.listenAddress(listen);
    }

    private static String onPath(String name) {
        return Executables.find(name);
    }

    boolean isShoal() {
        return ours != null;
    }

    /** Our server; only when {@link #isShoal()}. */
    NetemServer netem() {
        return ours;
    }

    ToxiproxyClient client() {
        return new ToxiproxyClient(host, port);
    }

    String baseUrl() {
        return "http://" + host + ":" + port;
    }

    @Override
    public void close() {
        if (ours != null) {
            ours.close();
        }
        if (theirs != null) {
            theirs.destroy();
        }
    }
}
