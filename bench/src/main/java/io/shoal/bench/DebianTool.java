package io.shoal.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A comparison program from a Debian package (kcptun, opentracker, aria2c): found on the PATH, or installed with
 * apt-get when this JVM runs as root, as the benchmarks' README promises. Never throws: callers print the reason
 * and skip their side.
 */
public final class DebianTool {
    private static final long INSTALL_TIMEOUT_MIN = 5;

    private DebianTool() {
    }

    /**
     * Makes sure {@code program} is on the PATH, installing Debian package {@code debianPackage} when it is missing
     * and we are root (the package lists are refreshed only if the first attempt fails); the output goes to {@code
     * logDir/apt-<package>.log}. Returns null when the program is ready, else one line saying why not.
     */
    public static String ensure(String program, String debianPackage, Path logDir) {
        if (onPath(program)) {
            return null;
        }
        if (!onPath("apt-get") || !"root".equals(System.getProperty("user.name"))) {
            return program + " not found and cannot install it here (install the Debian package '" + debianPackage
                + "' as root)";
        }
        System.err.println("bench: " + program + " not found, installing the Debian package " + debianPackage + " ...");
        Path log = logDir.resolve("apt-" + debianPackage + ".log");
        String install = "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + debianPackage;
        try {
            Process apt = new ProcessBuilder("sh", "-c", install + " || (apt-get update -qq && " + install + ")")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!apt.waitFor(INSTALL_TIMEOUT_MIN, TimeUnit.MINUTES)) {
                apt.destroyForcibly();
                return "apt-get install " + debianPackage + " timed out";
            }
        } catch (IOException e) {
            return "apt-get install " + debianPackage + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while installing " + debianPackage;
        }
        return onPath(program) ? null
            : "apt-get install " + debianPackage + " did not provide " + program + " (see " + log + ")";
    }

    /** Whether an executable named {@code program} is in a folder of the PATH. */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
