package io.shoal.netem;

/**
 * A request the API refuses, with the HTTP status and the message Toxiproxy uses for the same case; the API answers
 * {@code {"error":message,"status":status}}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(400, "bad request body" + (detail == null ? "" : ": " + detail));
    }

    static ApiException proxyNotFound() {
        return new ApiException(404, "proxy not found");
    }

    static ApiException toxicNotFound() {
        return new ApiException(404, "toxic not found");
    }
}
