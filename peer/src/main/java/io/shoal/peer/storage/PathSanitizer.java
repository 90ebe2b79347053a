package io.shoal.peer.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a path from a torrent is safe to create under a download root. A torrent is untrusted input: its
 * path components could climb out of the root ({@code ..}), name an absolute location, smuggle a separator inside one
 * component, or name a device on Windows. anacrolix's {@code storage/safe-path.go} and libtorrent's
 * {@code sanitize_path} fuzzer guard the same thing.
 *
 * <p>Rules per component: not empty, not {@code .} or {@code ..}, no {@code /}, {@code \}, NUL or other control
 * character, no drive letter {@code C:}, not a Windows reserved device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with
 * or without an extension), at most {@link #MAX_COMPONENT_BYTES} UTF-8 bytes. At most {@link #MAX_DEPTH}
 * components. Then {@link #resolve} re-checks containment on the normalised path and refuses symbolic links on the
 * way.
 */
public final class PathSanitizer {
    /** Longest component, in UTF-8 bytes (the usual file-system limit, ext4's NAME_MAX). */
    public static final int MAX_COMPONENT_BYTES = 255;
    /** Most components in one path. */
    public static final int MAX_DEPTH = 64;

    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private PathSanitizer() {
    }

    /** Why {@code component} is unsafe, or {@code null} when it is fine. */
    public static String checkComponent(String component) {
        if (component.isEmpty()) {
            return "empty path component";
        }
        if (component.equals(".") || component.equals("..")) {
            return "path component '" + component + "'";
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '/' || c == '\\') {
                return "separator inside path component '" + printable(component) + "'";
            }
            if (c < 0x20 || c == 0x7F) {
                return "control character inside path component '" + printable(component) + "'";
            }
        }
        if (component.length() >= 2 && component.charAt(1) == ':' && Character.isLetter(component.charAt(0))) {
            return "drive letter in path component '" + component + "'";
        }
        int dot = component.indexOf('.');
        String stem = (dot < 0 ? component : component.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
        if (RESERVED.contains(stem)) {
            return "reserved name '" + component + "'";
        }
        if (component.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
            return "path component longer than " + MAX_COMPONENT_BYTES + " bytes";
        }
        return null;
    }

    /** Why the relative path {@code components} is unsafe, or {@code null} when every component is fine. */
    public static String checkPath(List<String> components) {
        if (components.isEmpty()) {
            return "empty path";
        }
        if (components.size() > MAX_DEPTH) {
            return "path deeper than " + MAX_DEPTH;
        }
        for (String c : components) {
            String why = checkComponent(c);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /**
     * Resolves {@code components} under {@code root}, checking every rule, that the normalised result is still under
     * the root, and that no existing directory or file on the way is a symbolic link.
     *
     * @throws IOException with a one-line reason when the path is unsafe
     */
    public static Path resolve(Path root, List<String> components) throws IOException {
        String why = checkPath(components);
        if (why != null) {
            throw new IOException("unsafe path '" + printable(String.join("/", components)) + "': " + why);
        }
        Path base = root.toAbsolutePath().normalize();
        Path p = base;
        for (String c : components) {
            p = p.resolve(c);
            if (Files.isSymbolicLink(p)) {
                throw new IOException("unsafe path '" + printable(String.join("/", components))
                    + "': symbolic link at " + base.relativize(p));
            }
        }
        Path normal = p.normalize();
        if (!normal.startsWith(base) || normal.equals(base)) {
            throw new IOException("unsafe path '" + printable(String.join("/", components)) + "': outside the root");
        }
        if (Files.exists(base)) {
            // The root itself may sit behind a link (such as /tmp on some systems): compare real paths from there.
            Path realBase = base.toRealPath();
            Path existing = normal;
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (!existing.toRealPath().startsWith(realBase)) {
                throw new IOException("unsafe path '" + printable(String.join("/", components)) + "': escapes "
                    + "the root through a link");
            }
        }
        return normal;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? "\\x" + String.format("%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
