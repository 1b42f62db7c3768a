/// The first `k` of `0..<count` in the order `precedes` defines, without sorting all of them: a bounded heap
/// (O(n log k)). A query matching thousands of documents shows ten; sorting every one of them was a sixth of a
/// one-character query's time.
enum TopSelection {
    static func first(_ k: Int, of count: Int, by precedes: (Int, Int) -> Bool) -> [Int] {
        guard k > 0, count > 0 else { return [] }
        if count <= 2 * k { return Array((0..<count).sorted(by: precedes).prefix(k)) }
        // A max-heap under `precedes`: the root is the worst of the best `k` seen so far.
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let left = 2 * i + 1, right = left + 1
                var worst = i
                if left < heap.count, precedes(heap[worst], heap[left]) { worst = left }
                if right < heap.count, precedes(heap[worst], heap[right]) { worst = right }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for candidate in 0..<count {
            if heap.count < k {
                heap.append(candidate)
                var i = heap.count - 1
                while i > 0, precedes(heap[(i - 1) / 2], heap[i]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if precedes(candidate, heap[0]) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap.sorted(by: precedes)
    }
}
