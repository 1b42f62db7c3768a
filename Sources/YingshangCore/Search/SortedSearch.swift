extension Array where Element: Comparable {
    /// The index of `value` in this ascending array, nil when it is absent (binary search). The index's sorted tables —
    /// gram keys, summarised terms, terms with skip entries — are looked up this way.
    func sortedIndex(of value: Element) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value ? low : nil
    }
}
