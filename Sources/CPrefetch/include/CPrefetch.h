#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to start loading the cache line holding `address` without waiting for it: the search reads
/// postings of many documents one after another, and fetching the next ones while one is read overlaps their cache
/// misses. Swift has no prefetch of its own.
static inline void yingshang_prefetch(const void *address) { __builtin_prefetch(address); }

#endif
