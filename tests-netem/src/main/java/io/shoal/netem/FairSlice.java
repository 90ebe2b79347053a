package io.shoal.netem;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The calling thread's nice value and, on Linux 6.12 or later (EEVDF), a custom time slice for the normal class,
 * through {@code sched_setattr(2)} ({@code sched_attr.sched_runtime} for SCHED_OTHER; the kernel clamps it to
 * 0.1-100 ms). A shorter slice gives the thread an earlier virtual deadline, so when its timer or socket wakes it,
 * it preempts whatever runs sooner. No command-line tool sets this for the normal class on Debian 12 (util-linux
 * 2.38), hence the system call through JNA. x86-64 and aarch64 only.
 */
final class FairSlice {
    private static final int ATTR_BYTES = 56;

    private FairSlice() {
    }

    /** @return null when set, else why not (another architecture, no permission, an older kernel) */
    static String applyToSelf(int nice, long sliceNs) {
        long number;
        switch (System.getProperty("os.arch")) {
            case "amd64":
            case "x86_64":
                number = 314;
                break;
            case "aarch64":
                number = 274;
                break;
            default:
                return "sched_setattr: unknown system call number on " + System.getProperty("os.arch");
        }
        try {
            Function syscall = NativeLibrary.getInstance("c").getFunction("syscall");
            Memory attr = new Memory(ATTR_BYTES);
            attr.clear();
            attr.setInt(0, ATTR_BYTES);   // size
            attr.setInt(4, 0);            // SCHED_OTHER
            attr.setInt(16, nice);        // sched_nice
            attr.setLong(24, sliceNs);    // sched_runtime: the slice, for SCHED_OTHER
            // Every argument a long: syscall(2) is variadic, so each fills a whole register.
            int r = syscall.invokeInt(new Object[] {number, 0L, attr, 0L});
            return r == 0 ? null : "sched_setattr failed, errno " + Native.getLastError();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "sched_setattr: " + e.getMessage();
        }
    }
}
