package io.shoal.peer.metainfo;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line program an interop test runs (mktorrent, aria2c). When it is missing the test tries the Debian
 * package (as root with apt-get, as {@code .ci/run} does) and otherwise skips with a message saying why.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    /** The program's path, installing {@code debianPackage} if needed; aborts (skips) the test when impossible. */
    static String require(String program, String debianPackage) throws IOException, InterruptedException {
        String found = which(program);
        if (found == null && isRoot() && which("apt-get") != null) {
            run(List.of("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + debianPackage
                + " || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                + debianPackage + ")"), 300);
            found = which(program);
        }
        Assumptions.assumeTrue(found != null, program + " is not installed and the Debian package '" + debianPackage
            + "' could not be installed (needs root and apt-get): interop test skipped");
        return found;
    }

    /** Runs {@code command}, returns its combined output; fails on a timeout. */
    static Result run(List<String> command, int timeoutSec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish in " + timeoutSec + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Exit code and output of one run. */
    record Result(int exit, String output) {
    }

    private static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        return which("id") != null && run(List.of("id", "-u"), 10).output().strip().equals("0");
    }
}
