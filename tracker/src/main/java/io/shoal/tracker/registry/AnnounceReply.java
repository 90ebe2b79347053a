package io.shoal.tracker.registry;

/** What {@link SwarmRegistry} reports about one announce or scrape. Mutable and reused by its one owning thread. */
public final class AnnounceReply {
    public int seeders;
    public int leechers;
    public int completed;
    /** Peers handed to the sink. */
    public int peersOffered;
}
