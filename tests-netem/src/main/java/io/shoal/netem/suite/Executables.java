package io.shoal.netem.suite;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds external programs (kcptun, toxiproxy-server) the way a shell would, so absent ones can be skipped. */
public final class Executables {
    private Executables() {
    }

    /** The executable {@code program} from the PATH, or null when it is not there. */
    public static String find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return null;
    }
}
