package io.shoal.rudp.netty.channel;

import io.shoal.rudp.session.CloseReason;

/**
 * User event fired on a {@link RudpChannel}'s pipeline when its connection ends, after the last data was delivered
 * and before the channel goes inactive.
 *
 * @param reason why the connection ended
 * @param peerText the reason text the peer sent in its CLOSE, or null
 */
public record RudpCloseEvent(CloseReason reason, String peerText) {
}
