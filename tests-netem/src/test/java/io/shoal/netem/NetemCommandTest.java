package io.shoal.netem;

import io.shoal.peer.cli.ShoalCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shoal netem} through the real {@code shoal} command line, found as a plugin. */
class NetemCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = ShoalCli.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldListNetemInTheShoalHelp() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("netem"), r.out());
    }

    @Test
    void shouldFailWithOneClearLineWhenTheApiPortIsBusy() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("netem", "--api", "127.0.0.1:" + busy.getLocalPort());
            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("shoal: cannot listen on "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void shouldRejectAMalformedApiAddress() {
        Run r = run("netem", "--api", "nowhere");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("invalid --api 'nowhere'"), r.err());
    }

    @Test
    void shouldExplainTheRealTimeOptionInItsHelp() {
        Run r = run("netem", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--realtime") && r.out().contains("CAP_SYS_NICE"), r.out());
    }

    @Test
    void shouldOfferTheReportSubcommand() {
        Run r = run("netem", "report", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--profile") && r.out().contains("--out") && r.out().contains("--seed"), r.out());
    }

    @Test
    void shouldRejectAnUnknownReportProfile() {
        Run r = run("netem", "report", "--profile", "huge");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("invalid --profile: unknown suite size 'huge'"), r.err());
    }
}
