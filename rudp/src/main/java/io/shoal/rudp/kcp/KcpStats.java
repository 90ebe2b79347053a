package io.shoal.rudp.kcp;

/**
 * A snapshot of one engine's counters (the engine keeps plain {@code long}s; this record is made on request).
 *
 * @param srttMs smoothed RTT ({@code rx_srtt})
 * @param rttVarMs RTT variation ({@code rx_rttval})
 * @param rtoMs current retransmission timeout ({@code rx_rto})
 * @param cwndSegments congestion window as the controller reports it
 * @param inflightSegments {@code snd_nxt - snd_una}
 * @param sendQueueSegments segments waiting in {@code snd_queue}
 * @param bytesSent payload bytes handed to the wire, retransmissions included
 * @param bytesDelivered payload bytes handed to the application by {@code poll*}/{@code receive}
 * @param segmentsSent data segments sent, retransmissions included
 * @param retransmits segments resent after a timeout
 * @param fastRetransmits segments resent on duplicate ACKs
 * @param datagramsIn datagrams given to {@code handleDatagram}
 * @param datagramsOut datagrams returned by {@code pollTransmit}
 * @param malformedDatagrams datagrams dropped as truncated, oversized or with an unknown command
 * @param duplicateSegments data segments received that were already received
 * @param cwndLimitedFlushes flushes that left data queued because the congestion window was full
 * @param flowLimitedFlushes flushes that left data queued because the send or remote window was full
 * @param pacingLimitedFlushes flushes that stopped sending because the pacer had no budget
 * @param appLimitedFlushes flushes that found nothing queued to send
 * @param spuriousRetransmits retransmissions proven unnecessary: the ACK echoed the timestamp of an earlier copy
 *     (Eifel detection; counted outside KCP-classic mode only)
 */
public record KcpStats(
    int srttMs,
    int rttVarMs,
    int rtoMs,
    int cwndSegments,
    int inflightSegments,
    int sendQueueSegments,
    long bytesSent,
    long bytesDelivered,
    long segmentsSent,
    long retransmits,
    long fastRetransmits,
    long datagramsIn,
    long datagramsOut,
    long malformedDatagrams,
    long duplicateSegments,
    long cwndLimitedFlushes,
    long flowLimitedFlushes,
    long pacingLimitedFlushes,
    long appLimitedFlushes,
    long spuriousRetransmits) {
}
