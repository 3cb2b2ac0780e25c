import Kernels
import Testing
@testable import NN

/// `Scratch.run`, which a convolution's backward pass uses to run dW's, dx's and db's loops as one:
/// every chunk of every loop given runs exactly once, with its own loop's chunk number, on 1 and 2
/// threads; on one thread in order, first loop first.
@Suite(.serialized) struct ScratchRunTests {
    @Test(arguments: [1, 2])
    func runsEveryChunkOfEachLoopOnce(threads: Int) {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = threads
        let floats = UnsafeMutablePointer<Float>.allocate(capacity: 1), doubles = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { floats.deallocate(); doubles.deallocate() }
        let scratch = Scratch(columns: floats, columnBlockFloats: 0, gradientPartials: floats, gradientGroupFloats: 0,
                              partials: doubles, partialWidth: 0, threads: threads)
        let counts = [5, 3, 7], offsets = [0, 5, 8]
        // One slot per (loop, chunk): a chunk writes only its own, so the workers never share one.
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: 15), order = UnsafeMutablePointer<Int>.allocate(capacity: 15)
        defer { hits.deallocate(); order.deallocate() }
        var position = 0
        func loop(_ index: Int) -> ChunkedLoop {
            ChunkedLoop(chunks: counts[index]) { _, chunk in
                hits[offsets[index] + chunk] += 1
                if threads == 1 {
                    order[position] = offsets[index] + chunk
                    position += 1
                }
            }
        }
        for given in [[0, 1, 2], [1], [0, 2], [2]] {
            hits.initialize(repeating: 0, count: 15)
            position = 0
            scratch.run(given.contains(0) ? loop(0) : nil, given.contains(1) ? loop(1) : nil, given.contains(2) ? loop(2) : nil)
            for index in 0..<3 {
                let expected = given.contains(index) ? 1 : 0
                for chunk in 0..<counts[index] {
                    #expect(hits[offsets[index] + chunk] == expected, "loops \(given): loop \(index) chunk \(chunk) ran \(hits[offsets[index] + chunk]) times")
                }
            }
            if threads == 1 {
                let inOrder = given.flatMap { index in (0..<counts[index]).map { offsets[index] + $0 } }
                #expect(Array(UnsafeBufferPointer(start: order, count: position)) == inOrder, "loops \(given)")
            }
        }
    }
}
