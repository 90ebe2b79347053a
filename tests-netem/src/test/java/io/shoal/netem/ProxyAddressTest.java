package io.shoal.netem;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyAddressTest {
    @Test
    void shouldParseTcpUdpAndBracketedAddresses() {
        assertEquals(new ProxyAddress(false, "localhost", 6379), ProxyAddress.parse("localhost:6379", false));
        assertEquals(new ProxyAddress(true, "127.0.0.1", 0), ProxyAddress.parse("udp://127.0.0.1:0", false));
        assertEquals(new ProxyAddress(true, "::1", 9), ProxyAddress.parse("UDP://[::1]:9", false));
        assertEquals(new ProxyAddress(false, "", 0), ProxyAddress.parse("", false));
        assertEquals("udp://[::1]:9", ProxyAddress.parse("udp://[::1]:9", false).toString());
    }

    @Test
    void shouldRejectAddressesWithoutAValidPort() {
        for (String bad : new String[] {"localhost", "host:", "host:x", "host:65536", "host:-1"}) {
            ApiException e = assertThrows(ApiException.class, () -> ProxyAddress.parse(bad, false), bad);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("bad request body"), e.getMessage());
        }
    }

    @Test
    void shouldFormatBoundAddressesAsGoDoes() {
        assertEquals("udp://127.0.0.1:5", ProxyAddress.format(true, new InetSocketAddress("127.0.0.1", 5)));
        assertEquals("[::]:7", ProxyAddress.format(false, new InetSocketAddress("::", 7)));
    }
}
