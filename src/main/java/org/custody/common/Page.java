package org.custody.common;

import java.util.List;

/** One page of a stable, ordered listing, with the total number of matching items. */
public record Page<T>(List<T> items, int page, int size, long total) {}
