package io.shoal.tracker.client;

import io.shoal.tracker.wire.AnnounceRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * A blocking HTTP(S) tracker client (BEP 3 announce with {@code compact=1}, BEP 48 scrape) on the JDK's HTTP client,
 * which keeps connections alive between calls. Redirects are not followed but reported, replies are capped at 1 MiB
 * (libtorrent's {@code tracker_maximum_response_length}) and checked by {@link io.shoal.tracker.bencode.BencodeScanner}
 * before decoding; every problem is a {@link TrackerException} with a one-line message. Thread-safe.
 */
public final class HttpTrackerClient {
    public static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final HttpClient http;
    private final Duration timeout;

    public HttpTrackerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
            .build();
    }

    /** Announces {@code r} ({@code r.ipv4} and {@code r.ipv6} are not sent: the tracker uses our source address). */
    public AnnounceResult announce(URI tracker, AnnounceRequest r) throws TrackerException {
        StringBuilder q = new StringBuilder(256);
        append(q, "info_hash", r.infoHash);
        append(q, "peer_id", r.peerId);
        q.append("&port=").append(r.port).append("&uploaded=").append(r.uploaded)
            .append("&downloaded=").append(r.downloaded).append("&left=").append(r.left)
            .append("&compact=").append(r.compact ? 1 : 0).append("&key=").append(Integer.toHexString(r.key));
        if (r.numwant >= 0) {
            q.append("&numwant=").append(r.numwant);
        }
        if (!r.event.httpName().isEmpty()) {
            q.append("&event=").append(r.event.httpName());
        }
        return HttpReplyParser.announce(get(tracker, q), tracker);
    }

    /** Scrape results keyed by lower-case hex info hash, through the announce URL's {@code /scrape} twin (BEP 48). */
    public Map<String, ScrapeResult> scrape(URI announceUrl, byte[]... hashes) throws TrackerException {
        String s = announceUrl.toString();
        int slash = s.lastIndexOf('/');
        if (slash < 0 || !s.startsWith("/announce", slash)) {
            throw new TrackerException("tracker does not support scrape (no /announce in " + announceUrl + ")");
        }
        URI scrapeUrl = URI.create(s.substring(0, slash) + "/scrape" + s.substring(slash + "/announce".length()));
        StringBuilder q = new StringBuilder(64 * hashes.length);
        for (byte[] h : hashes) {
            append(q, "info_hash", h);
        }
        return HttpReplyParser.scrape(get(scrapeUrl, q), scrapeUrl);
    }

    private byte[] get(URI base, StringBuilder query) throws TrackerException {
        String scheme = TrackerUrls.check(base);
        if (scheme.equals("udp")) {
            throw new TrackerException("not an http(s) tracker: " + base);
        }
        String s = base.toString();
        URI url = query.length() == 0 ? base
            : URI.create(s + (s.indexOf('?') < 0 ? "?" : "&") + query.substring(1));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new TrackerException("tracker " + base + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new TrackerException("tracker " + base + " is unreachable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TrackerException("tracker " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException("interrupted while contacting " + base, e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status / 100 == 3) {
                throw new TrackerException("tracker " + base + " redirected (HTTP " + status + ") to "
                    + response.headers().firstValue("location").orElse("nowhere") + "; redirects are not followed");
            }
            byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new TrackerException("tracker " + base + " reply exceeds " + MAX_RESPONSE_BYTES + " bytes");
            }
            if (status != 200) {
                throw new TrackerException("tracker " + base + " answered HTTP " + status);
            }
            return bytes;
        } catch (IOException e) {
            throw new TrackerException("tracker " + base + " reply could not be read: " + e.getMessage(), e);
        }
    }

    /** Appends {@code &key=value}, every byte of the value percent-encoded unless unreserved (RFC 3986). */
    static void append(StringBuilder q, String key, byte[] value) {
        q.append('&').append(key).append('=');
        for (byte b : value) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~') {
                q.append((char) c);
            } else {
                q.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
    }
}
