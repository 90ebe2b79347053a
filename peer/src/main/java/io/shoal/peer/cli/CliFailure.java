package io.shoal.peer.cli;

/** A command failed for a reason the user should read as one line (exit code 1). */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }
}
