package io.shoal.tracker.client;

/** Counts of one swarm from a scrape: complete peers, completed downloads, incomplete peers. */
public record ScrapeResult(int seeders, int completed, int leechers) {
}
